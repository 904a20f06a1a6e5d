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

    /// <summary>The head forward on the GPU.</summary>
    static abstract void HeadForwardCuda(in SegmentBuffers b, CudaOps ops);

    /// <summary>The head backward on the GPU, after its forward on the same arena.</summary>
    static abstract void HeadBackwardCuda(in SegmentBuffers b, CudaOps ops);
}
