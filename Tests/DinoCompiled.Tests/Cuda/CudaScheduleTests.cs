using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// Runs every segment's CUDA schedule on fake device addresses with a recording <see cref="CudaOps"/>: every kernel
/// index is valid, every GEMM and launch stays inside the buffers it touches (the arena sized from the generated plan),
/// and the GEMMs are the CPU schedule's, in the same order and shapes.
/// </summary>
public sealed class CudaScheduleTests
{
    private const int Units = 3;

    public static IEnumerable<object[]> Models => new[] { new object[] { "FmnistTiny" }, new object[] { "ReducedVit" } };

    [Theory]
    [MemberData(nameof(Models))]
    public void SchedulesStayInBuffersAndMatchTheCpuGemms(string model)
    {
        if (model == "FmnistTiny") Check<FmnistTiny>(CpuSource("FmnistTiny", Path.Combine(RepositoryPaths.Models, "FmnistTiny.cs")));
        else Check<ReducedVit>(CpuSource("ReducedVit", Path.Combine(RepositoryPaths.Root, "Tests", "DinoCompiled.TestModels", "ReducedVit.cs")));
    }

    private static string CpuSource(string model, string path)
    {
        var outcome = GeneratorHarness.Run(new[] { (path, File.ReadAllText(path)) });
        return outcome.Sources.Single(s => s.HintName.Contains("." + model + ".", StringComparison.Ordinal) && !s.HintName.EndsWith(".Cuda.g.cs", StringComparison.Ordinal))
            .SourceText.ToString();
    }

    private static void Check<TModel>(string cpuSource) where TModel : ICudaDinoModel
    {
        var description = TModel.Description;
        var arch = description.Architecture;
        var module = TModel.CudaModule;
        Assert.Equal(module.KernelNames.Count, module.KernelNames.Distinct().Count());
        foreach (var plan in description.Arenas)
        {
            bool head = plan.Segment == "Head";
            var layout = new BufferLayout(description, plan, head, Units);
            foreach (bool backward in new[] { false, true })
            {
                var ops = new RecordingCudaOps();
                var b = layout.Buffers;
                if (head) { if (backward) TModel.HeadBackwardCuda(b, ops); else TModel.HeadForwardCuda(b, ops); }
                else if (backward) TModel.BackboneBackwardCuda(plan.Crop, b, ops);
                else TModel.BackboneForwardCuda(plan.Crop, b, ops);
                string where = plan.Segment + (backward ? " backward" : " forward");
                Assert.NotEmpty(ops.Calls);

                var extents = new KernelExtents(arch, module, plan.Crop);
                foreach (var call in ops.Calls)
                {
                    if (call is RecordingCudaOps.GemmCall g)
                        foreach (var (address, floats, what) in KernelExtents.Gemm(g)) layout.Require(address, floats, where + ": GEMM " + what);
                    else
                    {
                        var launch = (RecordingCudaOps.LaunchCall)call;
                        Assert.InRange(launch.Kernel, 0, module.KernelNames.Count - 1);
                        Assert.True(launch.GridX >= 1 && launch.GridY >= 1 && launch.BlockX is >= 32 and <= 1024, where + ": geometry of " + module.KernelNames[launch.Kernel]);
                        foreach (var (address, floats, what) in extents.Of(launch, Units)) layout.Require(address, floats, where + ": " + module.KernelNames[launch.Kernel] + " " + what);
                    }
                }

                var expected = CpuGemms(cpuSource, plan.Segment + (backward ? "Backward" : "Forward"));
                var actual = ops.Calls.OfType<RecordingCudaOps.GemmCall>().Select(g => (g.M, g.N, g.K)).ToList();
                Assert.Equal(expected, actual);
            }
        }
    }

    /// <summary>The (m, n, k) of every GEMM of a CPU schedule method, read from the generated C#, for <see cref="Units"/> units.</summary>
    private static List<(int M, int N, int K)> CpuGemms(string source, string method)
    {
        int start = source.IndexOf("public static void " + method + "(", StringComparison.Ordinal);
        Assert.True(start >= 0, method);
        int end = source.IndexOf("public static void ", start + 10, StringComparison.Ordinal);
        var body = source.Substring(start, (end < 0 ? source.Length : end) - start);
        var gemms = new List<(int, int, int)>();
        foreach (var line in body.Split('\n'))
        {
            var op = Regex.Match(line, @"CpuOps\.(\w+)\(");
            if (!op.Success) continue;
            var dims = Regex.Match(line.Substring(op.Index), @"u \* (\d+), (\d+), (\d+)");
            int rows = 0, input = 0, output = 0;
            if (dims.Success) { rows = Units * int.Parse(dims.Groups[1].Value); input = int.Parse(dims.Groups[2].Value); output = int.Parse(dims.Groups[3].Value); }
            switch (op.Groups[1].Value)
            {
                case "Linear" or "LinearGelu" or "LinearResidual" or "MatMul": gemms.Add((rows, output, input)); break;
                case "LinearInputGrad" or "LinearInputGradGelu" or "MatMulInputGrad": gemms.Add((rows, input, output)); break;
                case "LinearWeightGrad" or "MatMulWeightGrad": gemms.Add((output, input, rows)); break;
            }
        }
        return gemms;
    }

    /// <summary>Fake device buffers at distinct, far-apart bases, and the check that a range lies inside one of them.</summary>
    private sealed class BufferLayout
    {
        private readonly List<(string Name, ulong Start, long Floats)> _regions = new();

        public BufferLayout(ModelDescription description, ArenaPlan plan, bool head, int units)
        {
            var arch = description.Architecture;
            long flat = description.Parameters.FlatLength;
            long input = head ? (long)units * arch.EmbedDim : (long)units * arch.Channels * plan.Crop * plan.Crop;
            long output = head ? (long)units * arch.Head.OutDim : (long)units * arch.EmbedDim;
            ulong Region(string name, int index, long floats)
            {
                ulong start = (ulong)index << 36;
                _regions.Add((name, start, floats));
                return start;
            }
            Buffers = new SegmentBuffers
            {
                Parameters = RecordingCudaOps.At(Region("parameters", 1, flat)),
                Gradients = RecordingCudaOps.At(Region("gradients", 2, flat)),
                Arena = RecordingCudaOps.At(Region("arena", 3, plan.FixedFloats + plan.FloatsPerUnit * units)),
                Units = units,
                Input = RecordingCudaOps.At(Region("input", 4, input)),
                Output = RecordingCudaOps.At(Region("output", 5, output)),
                OutputGradient = RecordingCudaOps.At(Region("output gradient", 6, output)),
                InputGradient = head ? RecordingCudaOps.At(Region("input gradient", 7, input)) : default,
                DropScales = head ? default : RecordingCudaOps.At(Region("drop scales", 8, 2L * arch.Depth * units)),
            };
        }

        public SegmentBuffers Buffers { get; }

        public void Require(ulong address, long floats, string what)
        {
            if (address == 0) return; // a null pointer the kernel skips (no drop path, no bias, weight_g frozen)
            Assert.True(floats > 0, what + ": empty extent");
            foreach (var (name, start, length) in _regions)
                if (address >= start && address < start + (ulong)length * 4)
                {
                    Assert.True(name == "drop scales" || address % 16 == 0, what + " is not 16-byte aligned");
                    Assert.True(address + (ulong)floats * 4 <= start + (ulong)length * 4,
                        what + " runs past the end of " + name + " by " + ((long)(address - start) / 4 + floats - length) + " floats");
                    return;
                }
            Assert.Fail(what + " points outside every buffer");
        }
    }
}
