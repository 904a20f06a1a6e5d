namespace DinoCompiled.Cuda;

/// <summary>
/// The roofline estimate of the launches of one op in one stage of a DINO step: its work, its time, and whether tensor
/// cores, CUDA cores or memory bound it.
/// </summary>
/// <param name="Stage">Where in the step (<c>student 224 forward</c>, <c>teacher 224 forward</c>, <c>optimizer</c>).</param>
/// <param name="Op">The op (<c>Linear</c>, <c>Attention</c>, <c>AdamW</c>, ...).</param>
/// <param name="Launches">Kernel launches.</param>
/// <param name="TensorFlops">Tensor-core FLOPs.</param>
/// <param name="OtherFlops">CUDA-core FLOPs.</param>
/// <param name="Bytes">Bytes moved.</param>
/// <param name="Seconds">Estimated time.</param>
/// <param name="Bound">What bounds it: <c>tensor</c>, <c>cuda-core</c> or <c>memory</c>.</param>
public sealed record GpuKernelEstimate(string Stage, string Op, int Launches, double TensorFlops, double OtherFlops, double Bytes, double Seconds, string Bound);
