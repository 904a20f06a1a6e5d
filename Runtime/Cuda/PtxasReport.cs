using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DinoCompiled.Cuda;

/// <summary>
/// The per-kernel resource usage in a ptxas <c>-v</c> log (NVRTC's program log when compiled with
/// <c>--ptxas-options=-v</c>). A kernel's record is assembled from three kinds of lines:
/// <code>
/// ptxas info    : Compiling entry function 'tiled' for 'sm_90'
/// ptxas info    : Function properties for tiled
/// ptxas         .     384 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
/// ptxas info    : Used 36 registers, 1024 bytes smem, 368 bytes cmem[0]
/// </code>
/// "Function properties" blocks also appear for non-inlined device functions, which are not entries and are left out.
/// </summary>
public sealed class PtxasReport
{
    private static readonly Regex EntryLine = new(@"Compiling entry function '(?<name>[^']+)' for '(?<arch>[^']+)'", RegexOptions.CultureInvariant);
    private static readonly Regex PropertiesLine = new(@"Function properties for (?<name>\S+)", RegexOptions.CultureInvariant);
    private static readonly Regex StackLine = new(
        @"(?<stack>\d+) bytes stack frame, (?<stores>\d+) bytes spill stores, (?<loads>\d+) bytes spill loads", RegexOptions.CultureInvariant);
    private static readonly Regex UsedLine = new(@"ptxas info\s*:\s*Used (?<regs>\d+) registers(?<rest>.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex SharedPart = new(@"(?<n>\d+) bytes smem", RegexOptions.CultureInvariant);
    private static readonly Regex ConstantPart = new(@"(?<n>\d+) bytes cmem\[\d+\]", RegexOptions.CultureInvariant);
    private static readonly Regex BarrierPart = new(@"used (?<n>\d+) barriers?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private PtxasReport(IReadOnlyList<PtxasKernelInfo> kernels) => Kernels = kernels;

    /// <summary>The kernels, in the order ptxas compiled them.</summary>
    public IReadOnlyList<PtxasKernelInfo> Kernels { get; }

    /// <summary>The record of a kernel by its symbol.</summary>
    /// <exception cref="KeyNotFoundException">ptxas reported no such entry function.</exception>
    public PtxasKernelInfo this[string name] => Find(name)
        ?? throw new KeyNotFoundException($"The ptxas report has no kernel '{name}' (it has {string.Join(", ", Names())}).");

    /// <summary>The record of a kernel by its symbol, or null.</summary>
    public PtxasKernelInfo? Find(string name)
    {
        foreach (var kernel in Kernels)
            if (kernel.Name == name) return kernel;
        return null;
    }

    /// <summary>Reads a log; lines that are not ptxas resource lines are ignored, so a whole NVRTC log can be passed.</summary>
    public static PtxasReport Parse(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var entries = new List<Entry>();
        var stacks = new Dictionary<string, (int Stack, int Stores, int Loads)>(StringComparer.Ordinal);
        Entry? current = null;
        string? propertiesOf = null;

        foreach (string raw in log.Split('\n'))
        {
            string line = raw.TrimEnd('\r', ' ');
            Match m;
            if ((m = EntryLine.Match(line)).Success)
            {
                current = new Entry(m.Groups["name"].Value, m.Groups["arch"].Value);
                entries.Add(current);
                propertiesOf = null;
            }
            else if ((m = PropertiesLine.Match(line)).Success)
            {
                propertiesOf = m.Groups["name"].Value;
            }
            else if ((m = StackLine.Match(line)).Success && propertiesOf is not null)
            {
                // The stack line belongs to the "Function properties for X" just above it, entry or not.
                stacks[propertiesOf] = (Int(m, "stack"), Int(m, "stores"), Int(m, "loads"));
                propertiesOf = null;
            }
            else if ((m = UsedLine.Match(line)).Success && current is not null)
            {
                // "Used" closes the entry being compiled; its other figures are comma-separated and optional.
                string rest = m.Groups["rest"].Value;
                current.Registers = Int(m, "regs");
                current.Shared = SumOf(SharedPart, rest);
                current.Constant = SumOf(ConstantPart, rest);
                current.Barriers = SumOf(BarrierPart, rest);
            }
        }

        var kernels = new List<PtxasKernelInfo>(entries.Count);
        foreach (var e in entries)
        {
            var (stack, stores, loads) = stacks.GetValueOrDefault(e.Name);
            kernels.Add(new PtxasKernelInfo(e.Name, e.Architecture, e.Registers, stack, stores, loads, e.Shared, e.Constant, e.Barriers));
        }
        return new PtxasReport(kernels);
    }

    private IEnumerable<string> Names()
    {
        foreach (var kernel in Kernels) yield return kernel.Name;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int SumOf(Regex part, string text)
    {
        int sum = 0;
        foreach (Match m in part.Matches(text)) sum += Int(m, "n");
        return sum;
    }

    private sealed class Entry(string name, string architecture)
    {
        public string Name { get; } = name;
        public string Architecture { get; } = architecture;
        public int Registers { get; set; }
        public int Shared { get; set; }
        public int Constant { get; set; }
        public int Barriers { get; set; }
    }
}
