using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// What a generated CUDA schedule calls: GEMMs (cuBLASLt) and launches of the model's generated kernels, all on one
/// stream. The schedule's pointers are device addresses carried in <see cref="Ptr"/> (never dereferenced on the host),
/// offset exactly as on the CPU. Implemented by the CUDA device; tests implement it to record a schedule without a GPU.
/// </summary>
public abstract class CudaOps
{
    /// <summary>
    /// Row-major C[m×n] = op(A)[m×k]·op(B)[k×n] (+ β C), with the epilogue; op(X) is X or Xᵀ as
    /// <paramref name="transA"/>/<paramref name="transB"/> say, and lda/ldb/ldc are row strides, as the CPU's
    /// <c>Gemm.Compute</c>. <paramref name="bias"/> has n values; <paramref name="aux"/> (ld <paramref name="auxLd"/>) is
    /// the GELU pre-activation the epilogue writes or reads.
    /// </summary>
    public abstract void Gemm(int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta,
        CudaGemmEpilogue epilogue, Ptr bias, Ptr aux, int auxLd);

    /// <summary>
    /// The bf16 schedule's GEMM (docs/BF16.md): row-major C[m×n] = op(A)·op(B) (+ β C), the matrices stored as
    /// <paramref name="types"/> says (bf16 operands accumulate in fp32), with cuBLASLt's bias epilogue when
    /// <paramref name="bias"/> is set (n values of C's type); strides count values. GELU and residual epilogues are the
    /// module's generated kernels, launched after it (exact erf GELU, drop path).
    /// </summary>
    public abstract void TypedGemm(CudaGemmDataTypes types, int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias);

    /// <summary>Launches kernel <paramref name="kernel"/> (an index into the model's <see cref="CudaModuleSource.KernelNames"/>).</summary>
    public abstract void Launch(int kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args);

    /// <summary>
    /// The step is about to run a segment: <paramref name="stage"/> names it as the performance model does
    /// ("teacher 224", "student 96", "student head", "loss"), <paramref name="crop"/> picks its GPU plan (0 for the head).
    /// Nothing by default; <see cref="CudaNodeTimer"/> times what follows.
    /// </summary>
    public virtual void BeginSegment(string stage, int crop) { }

    /// <summary>
    /// A bf16 schedule is about to run node <paramref name="index"/> of its segment's <see cref="GpuSegmentPlan.Nodes"/>
    /// (the launches up to the next call belong to it). Nothing by default.
    /// </summary>
    public virtual void Node(int index) { }
}
