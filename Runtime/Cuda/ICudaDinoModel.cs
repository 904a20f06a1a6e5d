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

    /// <summary>Null when the bf16 training schedules serve the model; otherwise why not (a head dim flash attention's backward does not serve).</summary>
    static abstract string? Bf16TrainingUnsupported { get; }

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

    /// <summary>
    /// The student's backbone forward in bf16 (docs/BF16.md): on the GPU training plan's arena
    /// (<see cref="GpuSegmentPlan.TrainingFixedBytes"/> + units × <see cref="GpuSegmentPlan.TrainingBytesPerUnit"/>), reading
    /// both weight copies; writes the fp32 features and keeps in the arena what <see cref="BackboneBackwardCudaBf16"/> reads.
    /// </summary>
    static abstract void BackboneForwardCudaBf16(int crop, in SegmentBuffers b, CudaOps ops);

    /// <summary>The backbone backward in bf16 after its forward on the same arena: fp32 feature gradients in, fp32 parameter gradients accumulated.</summary>
    static abstract void BackboneBackwardCudaBf16(int crop, in SegmentBuffers b, CudaOps ops);

    /// <summary>The student's head forward in bf16, on its GPU training plan's arena: fp32 features in, fp32 logits out.</summary>
    static abstract void HeadForwardCudaBf16(in SegmentBuffers b, CudaOps ops);

    /// <summary>The head backward in bf16: the bf16 logits' gradient in, fp32 parameter gradients accumulated and the fp32 features' gradient written.</summary>
    static abstract void HeadBackwardCudaBf16(in SegmentBuffers b, CudaOps ops);

    /// <summary>The head forward on the GPU.</summary>
    static abstract void HeadForwardCuda(in SegmentBuffers b, CudaOps ops);

    /// <summary>The head backward on the GPU, after its forward on the same arena.</summary>
    static abstract void HeadBackwardCuda(in SegmentBuffers b, CudaOps ops);
}
