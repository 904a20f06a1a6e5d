using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DinoCompiled.Cuda;
using DinoCompiled.Tests.Infrastructure;

namespace DinoCompiled.Tests.Cuda.Emulation;

/// <summary>
/// A generated CUDA module compiled for the CPU with the emulator's shim (tools/cuda/emulate/cuda_shim.h: one
/// std::thread per CUDA thread, real barriers and warp shuffles, the mma and bf16 instructions from the PTX ISA) into a
/// shared library, and launched by kernel index with <see cref="KernelArgs"/>' 8-byte slots, exactly as the driver
/// receives them. Pointers in the slots are host addresses. Compiled once per distinct source per test run.
/// </summary>
internal sealed unsafe partial class EmulatedModule
{
    private static readonly ConcurrentDictionary<string, Lazy<EmulatedModule>> s_modules = new();
    private readonly delegate* unmanaged<int, uint, uint, uint, ulong*, int> _run;
    private readonly object _gate = new();

    private EmulatedModule(CudaModuleSource source, string library)
    {
        Source = source;
        var handle = NativeLibrary.Load(library);
        _run = (delegate* unmanaged<int, uint, uint, uint, ulong*, int>)NativeLibrary.GetExport(handle, "emu_run");
    }

    /// <summary>The module's source and kernel names.</summary>
    public CudaModuleSource Source { get; }

    /// <summary>The compiled module of <paramref name="source"/> (compiled on first use; about half a minute here).</summary>
    public static EmulatedModule For(CudaModuleSource source) =>
        s_modules.GetOrAdd(source.Source, _ => new Lazy<EmulatedModule>(() => Compile(source))).Value;

    /// <summary>Runs kernel <paramref name="kernel"/> over the grid; blocks run one after another.</summary>
    public void Launch(int kernel, uint gridX, uint gridY, uint blockX, in KernelArgs args)
    {
        if ((uint)kernel >= (uint)Source.KernelNames.Count) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "No such kernel in " + Source.ModelName + ".");
        if (gridX == 0 || gridY == 0 || blockX == 0 || blockX > 1024) throw new ArgumentException($"{Source.KernelNames[kernel]}: invalid launch ({gridX}, {gridY}) x {blockX}.");
        Span<ulong> slots = stackalloc ulong[KernelArgs.Capacity];
        args.CopyTo(slots);
        int errors;
        lock (_gate)
            fixed (ulong* s = slots)
                errors = _run(kernel, gridX, gridY, blockX, s);
        if (errors != 0) throw new InvalidOperationException(Source.KernelNames[kernel] + ": the emulator reported " + errors + " shuffles over exited or absent lanes.");
    }

    private static EmulatedModule Compile(CudaModuleSource source)
    {
        var parameters = Signatures(source.Source);
        var cpp = new StringBuilder();
        cpp.Append("#include \"cuda_shim.h\"\n#pragma GCC diagnostic ignored \"-Wunknown-pragmas\"\n").Append(source.Source).Append('\n');
        cpp.Append("extern \"C\" int emu_run(int kernel, unsigned gx, unsigned gy, unsigned bx, unsigned long long* s)\n{\n    emu_errors = 0;\n    switch (kernel)\n    {\n");
        for (int k = 0; k < source.KernelNames.Count; k++)
        {
            string name = source.KernelNames[k];
            if (!parameters.TryGetValue(name, out var types)) throw new InvalidOperationException(source.ModelName + ": kernel " + name + " is not defined in the module.");
            var call = new StringBuilder();
            for (int i = 0; i < types.Count; i++) call.Append(i == 0 ? "" : ", ").Append("*(").Append(types[i]).Append("*)&s[").Append(i).Append(']');
            cpp.Append("        case ").Append(k).Append(": emu_launch(gx, gy, bx, [&] { ").Append(name).Append('(').Append(call).Append("); }); break;\n");
        }
        cpp.Append("        default: return -1;\n    }\n    return emu_errors.load();\n}\n");

        string text = cpp.ToString();
        string shim = Path.Combine(RepositoryPaths.Root, "tools", "cuda", "emulate");
        // The cache key covers the shim too: a changed emulator must not run an old library.
        var key = new StringBuilder(text);
        foreach (var header in Directory.GetFiles(shim, "*.h").Order(StringComparer.Ordinal)) key.Append(File.ReadAllText(header));
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16];
        string directory = Path.Combine(Path.GetTempPath(), "dino-emulated-" + hash);
        string library = Path.Combine(directory, "module.so");
        if (!File.Exists(library))
        {
            Directory.CreateDirectory(directory);
            string file = Path.Combine(directory, "module.cpp");
            File.WriteAllText(file, text);
            string partial = library + "." + Environment.ProcessId + ".tmp";
            var start = new ProcessStartInfo("g++") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "-std=c++20", "-O1", "-ffp-contract=off", "-fPIC", "-shared", "-pthread", "-w", "-I", shim, file, "-o", partial })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("g++ failed on the emulated module of " + source.ModelName + ":\n" + errors.Result);
            File.Move(partial, library, overwrite: true);
        }
        return new EmulatedModule(source, library);
    }

    /// <summary>Each kernel's parameter types (const and pointer kept, __restrict__ dropped), in order.</summary>
    private static Dictionary<string, List<string>> Signatures(string source)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (Match m in KernelPattern().Matches(source))
        {
            var types = new List<string>();
            foreach (var raw in m.Groups[2].Value.Split(','))
            {
                string p = string.Join(' ', raw.Replace("__restrict__", "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                types.Add(p[..p.LastIndexOf(' ')].Replace(" *", "*"));
            }
            result[m.Groups[1].Value] = types;
        }
        return result;
    }

    [GeneratedRegex(@"extern ""C"" __global__ void (?:__launch_bounds__\(\d+\) )?(\w+)\(([^)]*)\)")]
    private static partial Regex KernelPattern();
}
