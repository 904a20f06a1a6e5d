// Every GEMM epilogue against its float64 definition, with one k block and with several
// (the epilogue must run once, after the whole reduction), for beta 0 and 1, with and
// without bias and row scale, and in the orientations the generated code uses.
using System;
using System.Collections.Generic;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class GemmEpilogueTests
{
    public static IEnumerable<object[]> Cases()
    {
        var kinds = new[] { GemmEpilogueKind.Bias, GemmEpilogueKind.BiasGelu, GemmEpilogueKind.BiasResidual, GemmEpilogueKind.GeluBackward };
        int[][] shapes = { new[] { 37, 197, 45 }, new[] { 29, 70, 800 }, new[] { 6, 64, 384 }, new[] { 1, 3, 1 } };
        foreach (GemmEpilogueKind kind in kinds)
        {
            foreach (int[] s in shapes)
            {
                yield return new object[] { kind, s[0], s[1], s[2], false, true, 0f };
                yield return new object[] { kind, s[0], s[1], s[2], false, false, 1f };
                yield return new object[] { kind, s[0], s[1], s[2], true, false, 0f };
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFloat64Reference(GemmEpilogueKind kind, int m, int n, int k, bool transA, bool transB, float beta)
    {
        Check(kind, m, n, k, transA, transB, beta, withBias: true, withRowScale: true, seed: (int)kind * 7919 + m * 31 + k);
    }

    [Theory]
    [InlineData(GemmEpilogueKind.Bias)]
    [InlineData(GemmEpilogueKind.BiasGelu)]
    [InlineData(GemmEpilogueKind.BiasResidual)]
    public void NullBiasAndRowScaleMeanZeroAndOne(GemmEpilogueKind kind)
    {
        Check(kind, 23, 90, 500, false, true, 0f, withBias: false, withRowScale: false, seed: 11);
    }

    [Fact]
    public void ResidualAliasingCIsRejected()
    {
        float[] a = KernelTestData.Uniform(1, 16), b = KernelTestData.Uniform(2, 16), c = new float[16];
        Assert.Throws<ArgumentException>(() => Gemm.Compute(4, 4, 4, a, 4, false, b, 4, false, c, 4, 0f,
            new GemmEpilogueBuffers { Kind = GemmEpilogueKind.BiasResidual, Residual = c, ResidualLd = 4 }));
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        float[] a = KernelTestData.Uniform(1, 16), b = KernelTestData.Uniform(2, 16), c = new float[15];
        Assert.Throws<ArgumentException>(() => Gemm.Compute(4, 4, 4, a, 4, false, b, 4, false, c, 4, 0f));
        Assert.Throws<ArgumentException>(() => Gemm.Compute(4, 4, 4, a, 4, false, b, 4, false, new float[16], 4, 0f,
            new GemmEpilogueBuffers { Kind = GemmEpilogueKind.BiasGelu, Bias = new float[4], PreActivation = new float[15], PreActivationLd = 4 }));
    }

    private static void Check(GemmEpilogueKind kind, int m, int n, int k, bool transA, bool transB, float beta,
        bool withBias, bool withRowScale, int seed)
    {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        int ldc = n + 3;
        int auxLd = n + 5;
        const int rowsPerScale = 7;
        float[] a = KernelTestData.Uniform(seed, (long)m * k);
        float[] b = KernelTestData.Uniform(seed + 1, (long)k * n);
        float[] c = beta == 0 ? KernelTestData.Poisoned((long)m * ldc) : GemmReference.StridedRandom(seed + 2, m, n, ldc);
        float[] oldC = (float[])c.Clone();
        float[]? bias = withBias ? KernelTestData.Uniform(seed + 3, n) : null;
        float[]? residual = kind == GemmEpilogueKind.BiasResidual ? GemmReference.StridedRandom(seed + 4, m, n, auxLd) : null;
        float[]? rowScale = kind == GemmEpilogueKind.BiasResidual && withRowScale
            ? KernelTestData.Uniform(seed + 5, (m - 1) / rowsPerScale + 1, 0.5f, 2f)
            : null;
        float[]? pre = kind switch
        {
            GemmEpilogueKind.BiasGelu => KernelTestData.Poisoned((long)m * auxLd),
            // Wide enough to reach GELU's tails and the region around 0.
            GemmEpilogueKind.GeluBackward => GemmReference.StridedRandom(seed + 6, m, n, auxLd),
            _ => null,
        };
        if (kind == GemmEpilogueKind.GeluBackward) for (int i = 0; i < pre!.Length; i++) pre[i] *= 4;

        double[] product = GemmReference.Product(m, n, k, a, lda, transA, b, ldb, transB);
        double[] expected = GemmReference.Apply(kind, product, m, n, bias, pre, auxLd, residual, auxLd, rowScale, rowsPerScale,
            beta, oldC, ldc, out double[] expectedPre);

        Gemm.Compute(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, new GemmEpilogueBuffers
        {
            Kind = kind,
            Bias = bias,
            PreActivation = pre,
            PreActivationLd = auxLd,
            Residual = residual,
            ResidualLd = auxLd,
            RowScale = rowScale,
            RowsPerScale = rowsPerScale,
        });

        string what = $"{kind} {m}x{n}x{k} tA={transA} tB={transB} beta={beta}";
        KernelAssert.Close(GemmReference.Extract(c, m, n, ldc), expected, what + " C");
        KernelAssert.PaddingUntouched(c, m, n, ldc, what + " C");
        if (kind == GemmEpilogueKind.BiasGelu)
        {
            KernelAssert.Close(GemmReference.Extract(pre!, m, n, auxLd), expectedPre, what + " PreActivation");
            KernelAssert.PaddingUntouched(pre!, m, n, auxLd, what + " PreActivation");
        }
    }
}
