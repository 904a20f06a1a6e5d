namespace DinoCompiled.Cuda;

/// <summary>
/// The fractions of the datasheet a kernel of each kind is assumed to reach; the roofline times of the performance model
/// use them. Defaults from public figures: cuBLASLt bf16 GEMMs of these shapes reach about 70 % of H100's dense peak;
/// FlashAttention-2 (mma.sync, the algorithm the generated attention follows) about 35 % (its paper and repository:
/// 335 to 370 TFLOP/s forward on H100 at head dim 64 to 128); streaming kernels about 80 % of HBM bandwidth; a CUDA
/// graph replays kernels about 2 µs apart. Measured figures replace them once a GPU has run the kernels (docs/GPU-CHECKS.md).
/// </summary>
/// <param name="Gemm">Fraction of the tensor-core peak a cuBLASLt GEMM reaches.</param>
/// <param name="Attention">Fraction of the tensor-core peak the flash-attention kernels reach.</param>
/// <param name="Bandwidth">Fraction of the memory bandwidth a streaming kernel reaches.</param>
/// <param name="CudaCores">Fraction of the fp32 CUDA-core peak.</param>
/// <param name="LaunchSeconds">Time between consecutive kernels of a replayed CUDA graph.</param>
public sealed record GpuEfficiency(double Gemm = 0.70, double Attention = 0.35, double Bandwidth = 0.80, double CudaCores = 0.50, double LaunchSeconds = 2e-6)
{
    /// <summary>The fractions above.</summary>
    public static GpuEfficiency Default { get; } = new();
}
