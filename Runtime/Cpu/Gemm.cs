// Single-precision GEMM with fused epilogues, the workhorse of every linear layer:
// forward (x W^T: transB), input gradient (dy W) and weight gradient (dy^T x: transA).
// See GemmJob for the blocking and threading.
using System;

namespace DinoCompiled.Cpu;

/// <summary>C = epilogue(op(A) op(B)) + beta C on row-major float matrices.</summary>
public static unsafe class Gemm
{
    /// <summary>
    /// C[m, n] = epilogue(op(A)[m, k] op(B)[k, n]) + beta C. op(A) is A [m, k] or, when
    /// <paramref name="transA"/>, the transpose of A stored [k, m]; op(B) likewise (B stored
    /// [n, k] when <paramref name="transB"/>). beta = 0 overwrites C without reading it.
    /// Results are bitwise identical for any <see cref="CpuParallel.ThreadCount"/>.
    /// </summary>
    public static void Compute(int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, float beta, in GemmEpilogue epilogue)
    {
        Validate(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, epilogue);
        if (m == 0 || n == 0) return;
        CpuParallel.ThrowIfInsideBody();

        var job = new GemmJob
        {
            M = m,
            N = n,
            K = k,
            A = a,
            Lda = lda,
            TransA = transA,
            B = b,
            Ldb = ldb,
            TransB = transB,
            C = c,
            Ldc = ldc,
            Beta = beta,
            Epilogue = epilogue,
        };
        lock (CpuParallel.Gate)
        {
            if (epilogue.Kind == GemmEpilogueKind.None && GemmTranspose.Pays(m, n, k))
            {
                GemmTranspose.Run(ref job);
            }
            else
            {
                job.Run();
            }
        }
    }

    /// <summary>Span form of <see cref="Compute(int, int, int, float*, int, bool, float*, int, bool, float*, int, float, in GemmEpilogue)"/>; lengths are checked.</summary>
    public static void Compute(int m, int n, int k, ReadOnlySpan<float> a, int lda, bool transA, ReadOnlySpan<float> b, int ldb,
        bool transB, Span<float> c, int ldc, float beta, GemmEpilogueBuffers epilogue = default)
    {
        if (m > 0 && k > 0) SpanChecks.Matrix(a.Length, transA ? k : m, transA ? m : k, lda, nameof(a));
        if (n > 0 && k > 0) SpanChecks.Matrix(b.Length, transB ? n : k, transB ? k : n, ldb, nameof(b));
        if (m > 0 && n > 0) SpanChecks.Matrix(c.Length, m, n, ldc, nameof(c));
        if (m > 0 && n > 0) epilogue.Check(m, n);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pBias = epilogue.Bias)
        fixed (float* pPre = epilogue.PreActivation)
        fixed (float* pResidual = epilogue.Residual)
        fixed (float* pScale = epilogue.RowScale)
        {
            var e = new GemmEpilogue
            {
                Kind = epilogue.Kind,
                Bias = pBias,
                PreActivation = pPre,
                PreActivationLd = epilogue.PreActivationLd,
                Residual = pResidual,
                ResidualLd = epilogue.ResidualLd,
                RowScale = pScale,
                RowsPerScale = epilogue.RowsPerScale,
            };
            Compute(m, n, k, pa, lda, transA, pb, ldb, transB, pc, ldc, beta, e);
        }
    }

    private static void Validate(int m, int n, int k, float* a, int lda, bool transA, float* b, int ldb, bool transB,
        float* c, int ldc, in GemmEpilogue e)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0) return;
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, n);
        if (c == null) throw new ArgumentNullException(nameof(c));
        if (k > 0)
        {
            if (a == null) throw new ArgumentNullException(nameof(a));
            if (b == null) throw new ArgumentNullException(nameof(b));
            ArgumentOutOfRangeException.ThrowIfLessThan(lda, transA ? m : k);
            ArgumentOutOfRangeException.ThrowIfLessThan(ldb, transB ? k : n);
        }

        switch (e.Kind)
        {
            case GemmEpilogueKind.None:
            case GemmEpilogueKind.Bias:
                break;
            case GemmEpilogueKind.BiasGelu:
            case GemmEpilogueKind.GeluBackward:
                if (e.PreActivation == null) throw new ArgumentException("The GELU epilogues need PreActivation.", nameof(e));
                if (e.PreActivationLd < n) throw new ArgumentException("PreActivationLd is smaller than n.", nameof(e));
                break;
            case GemmEpilogueKind.BiasResidual:
                if (e.Residual == null) throw new ArgumentException("BiasResidual needs Residual.", nameof(e));
                if (e.ResidualLd < n) throw new ArgumentException("ResidualLd is smaller than n.", nameof(e));
                if (e.Residual == c) throw new ArgumentException("Residual must not alias C.", nameof(e));
                if (e.RowScale != null && e.RowsPerScale < 1) throw new ArgumentException("RowsPerScale must be positive.", nameof(e));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Kind, "Unknown epilogue.");
        }
    }
}
