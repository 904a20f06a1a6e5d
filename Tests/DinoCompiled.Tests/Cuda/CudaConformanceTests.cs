using System.Linq;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The GPU against the CPU on one whole DINO training step, per tensor (forward outputs, loss, every gradient, and every
/// parameter, moment, teacher weight and the center after the step), in each precision mode. Needs a GPU; skipped, with
/// the reason, where there is none (CI). <c>dino gpu check</c> runs the same harness on ViT-S/16.
/// </summary>
public sealed class CudaConformanceTests
{
    private readonly ITestOutputHelper _output;

    public CudaConformanceTests(ITestOutputHelper output) => _output = output;

    [GpuFact]
    public void FmnistTinyMatchesTheCpuInEveryMode()
    {
        using var device = CudaDevice.Open();
        foreach (var mode in new[] { CudaPrecision.Fp32, CudaPrecision.Tf32, CudaPrecision.Bf16 })
            Check(CudaConformance.Run<FmnistTiny>(device, mode, batch: 8, localCrops: 2, seed: 11));
    }

    [GpuFact]
    public void ReducedVitWithPositionResizeMatchesTheCpuInFp32()
    {
        using var device = CudaDevice.Open();
        Check(CudaConformance.Run<ReducedVit>(device, CudaPrecision.Fp32, batch: 4, localCrops: 3, seed: 12));
    }

    private void Check(System.Collections.Generic.List<ConformanceResult> results)
    {
        foreach (var r in results) _output.WriteLine($"{r.Model} {r.Mode} {r.Tensor}: {r.RelativeError:E3} (bound {r.Bound:E0})");
        var failures = results.Where(r => !r.Pass).Select(r => $"{r.Mode} {r.Tensor} {r.RelativeError:E3}").ToList();
        Assert.True(failures.Count == 0, "out of bounds: " + string.Join("; ", failures));
        Assert.Contains(results, r => r.Tensor.StartsWith("grad.", System.StringComparison.Ordinal));
    }
}
