using System;
using System.Collections.Generic;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Cuda;

/// <summary>
/// Row-major GEMMs on cuBLASLt. cuBLASLt is column-major, and a row-major X[r×c] with row stride ld is the column-major
/// Xᵀ[c×r] with the same ld, so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: cuBLASLt's "A" is our B and its "B" is
/// our A, each with its transpose flag kept. The bias epilogue then adds one value per row of Cᵀ, i.e. per output column
/// of C, as a Linear's bias. One plan (descriptors, layouts and the heuristic's algorithm) per distinct shape and pointer
/// alignment and data types (<see cref="CudaGemmDataTypes"/>), made on first use, so a warmed-up step creates nothing and
/// can be captured into a CUDA graph. The heuristic assumes 256-byte-aligned matrices unless told otherwise
/// (MIN_ALIGNMENT_*_BYTES defaults to 256) and may then pick a kernel that faults on the schedules' 64-byte-aligned fp32
/// or 32-byte-aligned bf16 slices, so each plan states the real alignment of its pointers in bytes.
/// </summary>
internal sealed unsafe class CublasLtGemm : IDisposable
{
    private const long WorkspaceBytes = 32L << 20;

    /// <summary>The largest alignment the heuristic distinguishes (its default assumption).</summary>
    internal const uint MaxAlignment = 256;

    /// <summary>The alignment cuBLASLt's bias epilogue kernels assume for the bias vector.</summary>
    internal const uint BiasAlignment = 16;
    private readonly CudaDevice _device;
    private readonly nint _handle;
    private readonly DeviceBuffer _workspace;
    private readonly Dictionary<GemmKey, GemmPlan> _plans = new();

    public CublasLtGemm(CudaDevice device, CudaPrecision precision)
    {
        _device = device;
        Precision = precision;
        _ = CublasLtGemmTypes.For(CudaGemmDataTypes.Float32, precision); // rejects an unknown precision here, not at the first GEMM
        _handle = CublasLtApi.Create();
        _workspace = device.Allocate(WorkspaceBytes / sizeof(float));
    }

    public CudaPrecision Precision { get; }

    /// <summary>Distinct GEMM shapes planned so far.</summary>
    public int PlanCount => _plans.Count;

    /// <summary>C = op(A)·op(B) (+ β C), row-major, all fp32, with a bias epilogue (or none).</summary>
    public void Run(int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias) =>
        Run(CudaGemmDataTypes.Float32, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias);

    /// <summary>
    /// C = op(A)·op(B) (+ β C), row-major, stored as <paramref name="types"/> says, with a bias epilogue (or none); the
    /// bias has C's type. α and β are fp32; the leading dimensions count values, not bytes.
    /// </summary>
    public void Run(CudaGemmDataTypes types, int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias)
    {
        ulong addressA = (ulong)(nuint)(float*)a, addressB = (ulong)(nuint)(float*)b, addressC = (ulong)(nuint)(float*)c, addressBias = (ulong)(nuint)(float*)bias;
        if (AlignmentProblem(CublasLtGemmTypes.For(types, Precision), addressA, addressB, addressC, addressBias) is { } problem)
            throw new ArgumentException(problem);
        // cuBLASLt's A is our B and its B our A (see the class comment).
        var key = new GemmKey(types, m, n, k, lda, ldb, ldc, transA, transB, !bias.IsNull, Alignment(addressB), Alignment(addressA), Alignment(addressC));
        if (!_plans.TryGetValue(key, out var plan))
        {
            plan = CreatePlan(key);
            _plans.Add(key, plan);
        }
        if (!bias.IsNull) CublasLtApi.SetBias(plan.Descriptor, addressBias);
        float alpha = 1f;
        var algorithm = plan.Algorithm;
        // cuBLASLt's A is our B, its B our A (see the class comment); C and D are both our C.
        CublasLtApi.Matmul(_handle, plan.Descriptor, &alpha, addressB, plan.LayoutA, addressA, plan.LayoutB, &beta,
            addressC, plan.LayoutC, addressC, plan.LayoutC, &algorithm, _workspace.Address, WorkspaceBytes, _device.Stream);
    }

    /// <summary>
    /// Why cuBLASLt cannot take these pointers, or null: each matrix must start on a whole value of its type (2 bytes for
    /// bf16, 4 for fp32), and the bias on <see cref="BiasAlignment"/> bytes, which the bias epilogue kernels assume. Any
    /// larger alignment is only told to the heuristic.
    /// </summary>
    internal static string? AlignmentProblem(CublasLtGemmTypes types, ulong a, ulong b, ulong c, ulong bias)
    {
        if (a % (ulong)types.OperandBytes != 0 || b % (ulong)types.OperandBytes != 0)
            return $"A GEMM operand must be {types.OperandBytes}-byte aligned ({types.Operands}); A 0x{a:x}, B 0x{b:x}.";
        if (c % (ulong)types.OutputBytes != 0) return $"A GEMM output must be {types.OutputBytes}-byte aligned ({types.Output}); C 0x{c:x}.";
        if (bias != 0 && Alignment(bias) < BiasAlignment) return $"cuBLASLt's bias epilogue needs a {BiasAlignment}-byte-aligned bias; 0x{bias:x} is not.";
        return null;
    }

    /// <summary>The largest power of two up to <see cref="MaxAlignment"/> that divides a device address.</summary>
    internal static uint Alignment(ulong address) =>
        address == 0 ? MaxAlignment : (uint)Math.Min(MaxAlignment, 1UL << System.Numerics.BitOperations.TrailingZeroCount(address));

    private GemmPlan CreatePlan(GemmKey key)
    {
        var g = ColumnMajorGemm.For(key.M, key.N, key.K, key.Lda, key.TransA, key.Ldb, key.TransB, key.Ldc);
        var types = CublasLtGemmTypes.For(key.Types, Precision);
        var descriptor = CublasLtApi.CreateDescriptor(types.Compute, types.Scale);
        CublasLtApi.SetTranspose(descriptor, CublasLtMatmulDescAttribute.TransA, g.TransposeA);
        CublasLtApi.SetTranspose(descriptor, CublasLtMatmulDescAttribute.TransB, g.TransposeB);
        CublasLtApi.SetEpilogue(descriptor, key.HasBias ? CublasLtEpilogue.Bias : CublasLtEpilogue.Default);
        if (key.HasBias) CublasLtApi.SetBiasDataType(descriptor, types.Bias);
        var layoutA = CublasLtApi.CreateLayout(types.Operands, g.RowsA, g.ColumnsA, g.LdA);
        var layoutB = CublasLtApi.CreateLayout(types.Operands, g.RowsB, g.ColumnsB, g.LdB);
        var layoutC = CublasLtApi.CreateLayout(types.Output, g.RowsC, g.ColumnsC, g.LdC);
        var algorithm = CublasLtApi.BestAlgorithm(_handle, descriptor, layoutA, layoutB, layoutC, WorkspaceBytes, key.AlignmentA, key.AlignmentB, key.AlignmentC,
            $"GEMM m={key.M} n={key.N} k={key.K} transA={key.TransA} transB={key.TransB} {key.Types} ({(key.Types == CudaGemmDataTypes.Float32 ? Precision : "fp32 compute")}, " +
            $"alignments {key.AlignmentA}/{key.AlignmentB}/{key.AlignmentC} B)");
        return new GemmPlan(descriptor, layoutA, layoutB, layoutC, algorithm);
    }

    public void Dispose()
    {
        foreach (var plan in _plans.Values)
        {
            CublasLtApi.DestroyLayout(plan.LayoutA);
            CublasLtApi.DestroyLayout(plan.LayoutB);
            CublasLtApi.DestroyLayout(plan.LayoutC);
            CublasLtApi.DestroyDescriptor(plan.Descriptor);
        }
        _plans.Clear();
        _workspace.Dispose();
        CublasLtApi.Destroy(_handle);
    }

    /// <summary>A plan's identity; the alignments are of cuBLASLt's A (our B), B (our A) and C = D, in bytes.</summary>
    private readonly record struct GemmKey(CudaGemmDataTypes Types, int M, int N, int K, int Lda, int Ldb, int Ldc, bool TransA, bool TransB, bool HasBias,
        uint AlignmentA, uint AlignmentB, uint AlignmentC);

    private sealed record GemmPlan(nint Descriptor, nint LayoutA, nint LayoutB, nint LayoutC, CublasLtMatmulAlgo Algorithm);
}
