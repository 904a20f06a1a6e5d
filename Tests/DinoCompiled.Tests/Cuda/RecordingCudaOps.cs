using System.Collections.Generic;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;

namespace DinoCompiled.Tests.Cuda;

/// <summary>A <see cref="CudaOps"/> that records every GEMM and launch of a schedule instead of running it.</summary>
internal sealed unsafe class RecordingCudaOps : CudaOps
{
    public sealed record GemmCall(int M, int N, int K, ulong A, int Lda, bool TransA, ulong B, int Ldb, bool TransB, ulong C, int Ldc, float Beta,
        CudaGemmEpilogue Epilogue, ulong Bias, ulong Aux, int AuxLd);

    public sealed record TypedGemmCall(CudaGemmDataTypes Types, int M, int N, int K, ulong A, int Lda, bool TransA, ulong B, int Ldb, bool TransB, ulong C, int Ldc, float Beta, ulong Bias);

    public sealed record LaunchCall(int Kernel, uint GridX, uint GridY, uint BlockX, uint SharedBytes, ulong[] Args);

    /// <summary>Every call in order: a <see cref="GemmCall"/>, <see cref="TypedGemmCall"/> or <see cref="LaunchCall"/>.</summary>
    public List<object> Calls { get; } = new();

    public override void Gemm(int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta,
        CudaGemmEpilogue epilogue, Ptr bias, Ptr aux, int auxLd) =>
        Calls.Add(new GemmCall(m, n, k, Address(a), lda, transA, Address(b), ldb, transB, Address(c), ldc, beta, epilogue, Address(bias), Address(aux), auxLd));

    public override void TypedGemm(CudaGemmDataTypes types, int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias) =>
        Calls.Add(new TypedGemmCall(types, m, n, k, Address(a), lda, transA, Address(b), ldb, transB, Address(c), ldc, beta, Address(bias)));

    public override void Launch(int kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args)
    {
        var slots = new ulong[args.Count];
        args.CopyTo(slots);
        Calls.Add(new LaunchCall(kernel, gridX, gridY, blockX, sharedBytes, slots));
    }

    public static ulong Address(Ptr p) => (ulong)(nuint)(float*)p;

    public static Ptr At(ulong address) => new((float*)(nuint)address);
}
