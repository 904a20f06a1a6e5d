using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// A compiled model that also has a generated CUDA module and CUDA schedules: the same segments as the CPU schedule,
/// the same arena plans and offsets, each op a cuBLASLt GEMM or a launch of one of the module's kernels.
/// </summary>
public interface ICudaDinoModel : ICompiledDinoModel
{
    /// <summary>The model's CUDA C and kernel names.</summary>
    static abstract CudaModuleSource CudaModule { get; }

    /// <summary>The GPU plan of each segment (bf16 memory plan and node costs), computed at build time.</summary>
    static abstract System.Collections.Immutable.ImmutableArray<GpuSegmentPlan> GpuPlans { get; }

    /// <summary>The backbone forward on the GPU for a compiled crop size.</summary>
    static abstract void BackboneForwardCuda(int crop, in SegmentBuffers b, CudaOps ops);

    /// <summary>The backbone backward on the GPU, after its forward on the same arena.</summary>
    static abstract void BackboneBackwardCuda(int crop, in SegmentBuffers b, CudaOps ops);

    /// <summary>
    /// The backbone forward alone in bf16 (the teacher's; docs/BF16.md): on the GPU forward plan's arena
    /// (<see cref="GpuSegmentPlan.ForwardFixedBytes"/> + units × <see cref="GpuSegmentPlan.ForwardBytesPerUnit"/>), reading
    /// the bf16 weight copy in <see cref="SegmentBuffers.ParametersBf16"/> and the fp32 one in <see cref="SegmentBuffers.Parameters"/>;
    /// writes the fp32 features and keeps nothing for a backward.
    /// </summary>
    static abstract void BackboneForwardOnlyCudaBf16(int crop, in SegmentBuffers b, CudaOps ops);

    /// <summary>The head forward alone in bf16, on its GPU forward plan's arena: fp32 features in, fp32 logits out.</summary>
    static abstract void HeadForwardOnlyCudaBf16(in SegmentBuffers b, CudaOps ops);

    /// <summary>The head forward on the GPU.</summary>
    static abstract void HeadForwardCuda(in SegmentBuffers b, CudaOps ops);

    /// <summary>The head backward on the GPU, after its forward on the same arena.</summary>
    static abstract void HeadBackwardCuda(in SegmentBuffers b, CudaOps ops);
}
