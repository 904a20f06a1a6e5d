using System.Collections.Immutable;

namespace DinoCompiled.Cuda;

/// <summary>The performance model's prediction of one DINO training step on a GPU.</summary>
/// <param name="Gpu">The GPU priced.</param>
/// <param name="Batch">Images per step.</param>
/// <param name="LocalCrops">Local crops per image (2 global crops besides).</param>
/// <param name="Kernels">Every op of every stage, in step order.</param>
/// <param name="Seconds">The step's time: the sum of the kernels' (one stream).</param>
/// <param name="ModelFlops">The step's matrix-product FLOPs (forward and backward of the student, forward of the teacher), as MFU counts them.</param>
/// <param name="ArenaBytes">The step's activation arenas (student training arenas plus the teacher's forward-only ones).</param>
/// <param name="StateBytes">Parameters and optimizer state: fp32 student, gradients, two moments and teacher, bf16 copies of student and teacher.</param>
public sealed record GpuStepPrediction(GpuSpec Gpu, int Batch, int LocalCrops, ImmutableArray<GpuKernelEstimate> Kernels, double Seconds, double ModelFlops,
    long ArenaBytes, long StateBytes)
{
    /// <summary>Images per second.</summary>
    public double ImagesPerSecond => Batch / Seconds;

    /// <summary>Model FLOPs utilization: model FLOPs per second over the dense bf16 peak.</summary>
    public double Mfu => ModelFlops / Seconds / Gpu.TensorFlops;
}
