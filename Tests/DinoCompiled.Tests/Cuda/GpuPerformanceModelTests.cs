using System;
using System.Collections.Immutable;
using System.Linq;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>The performance model's arithmetic on plans small enough to price by hand, and on the zoo's ViT-S/16.</summary>
public sealed class GpuPerformanceModelTests
{
    private static readonly GpuSpec s_gpu = new("test", "a round GPU", 100e12, 10e12, 1e12);
    private static readonly GpuEfficiency s_exact = new(Gemm: 1, Attention: 0.5, Bandwidth: 1, CudaCores: 1, LaunchSeconds: 0);

    private static ImmutableArray<GpuSegmentPlan> Plans(ModelDescription model, params GpuNodeCost[] backbone)
    {
        var a = model.Architecture;
        var empty = ImmutableArray.Create(new GpuNodeCost("Clear", "head", false, 0, 0, 0, 0));
        return [new("g", a.GlobalCrop, 0, 0, 0, 0, [.. backbone]), new("l", a.LocalCrop, 0, 0, 0, 0, empty), new("h", 0, 0, 0, 0, 0, empty)];
    }

    [Fact]
    public void EachKernelIsItsRooflineAndTheStepTheirSum()
    {
        var model = FmnistTiny.Description;
        // Per global image: a GEMM of 1 TFLOP moving 1 GB (tensor-bound: 10 ms per image), and a 2 GB stream (memory: 2 ms).
        var plans = Plans(model, new GpuNodeCost("Linear", "blocks.0", true, 1_000_000_000_000, 0, 1_000_000_000, 0), new GpuNodeCost("LayerNormGrad", "blocks.0", false, 0, 1, 2_000_000_000, 0));
        var p = GpuPerformanceModel.Predict(model, plans, s_gpu, batch: 1, localCrops: 0, s_exact);

        var teacher = p.Kernels.Single(k => k.Stage == "teacher 28 forward");
        Assert.Equal(("tensor", 2 * 0.01), (teacher.Bound, teacher.Seconds)); // 2 global crops
        var grad = p.Kernels.Single(k => k.Op == "LayerNormGrad");
        Assert.Equal("memory", grad.Bound);
        Assert.Equal(2 * 0.002, grad.Seconds, 12);
        Assert.Equal(p.Kernels.Sum(k => k.Seconds), p.Seconds, 15);
        // Model FLOPs: the GEMM once for the teacher and once for the student's forward.
        Assert.Equal(4e12, p.ModelFlops);
        Assert.Equal(p.ModelFlops / p.Seconds / s_gpu.TensorFlops, p.Mfu, 12);
        Assert.Equal(1 / p.Seconds, p.ImagesPerSecond, 9);
    }

    [Fact]
    public void TheAttentionsBackwardCountsItsRecomputedScoresAsTimeButNotAsModelWork()
    {
        var model = FmnistTiny.Description;
        var plans = Plans(model, new GpuNodeCost("AttentionGrad", "blocks.0", false, 10_000_000_000_000, 0, 0, 0));
        var p = GpuPerformanceModel.Predict(model, plans, s_gpu, batch: 1, localCrops: 0, s_exact);
        var grad = p.Kernels.Single(k => k.Op == "AttentionGrad");
        Assert.Equal(2 * 10e12 / (100e12 * 0.5), grad.Seconds, 9); // at the attention fraction
        Assert.Equal(2 * 8e12, p.ModelFlops, 3);
    }

    [Fact]
    public void TheViTSmallStepIsPricedOnBothGpus()
    {
        var h100 = GpuPerformanceModel.Predict(VitSmall16.Description, VitSmall16.GpuPlans, GpuSpec.H100, 64, 10);
        var h200 = GpuPerformanceModel.Predict(VitSmall16.Description, VitSmall16.GpuPlans, GpuSpec.H200, 64, 10);
        Assert.InRange(h100.Mfu, 0.01, 1);
        Assert.True(h200.Seconds < h100.Seconds, "more bandwidth must not make a step slower");
        Assert.Contains(h100.Kernels, k => k.Bound == "memory");
        Assert.Contains(h100.Kernels, k => k.Bound == "tensor");
        Assert.Throws<ArgumentException>(() => GpuSpec.Find("a100x"));
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", "h100")]
    [InlineData("NVIDIA H100 PCIe", null)]
    [InlineData("NVIDIA H100 NVL", null)]
    [InlineData("NVIDIA H200", "h200")]
    [InlineData("NVIDIA A100-SXM4-80GB", null)]
    public void DevicesAreKnownByTheirCudaName(string device, string? spec) => Assert.Equal(spec, GpuSpec.ForDevice(device)?.Name);
}
