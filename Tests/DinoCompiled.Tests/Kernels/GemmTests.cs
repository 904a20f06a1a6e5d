// Gemm.Compute against the float64 triple loop: every transpose combination, beta 0 (C is
// NaN-poisoned and must not be read) and beta 1, awkward sizes (1, primes, one past the
// 6 x 64 register tile and the 384-deep k block) and padded leading dimensions whose
// padding must stay untouched.
//
// Error bound: 1e-5 norm-wise for every k tested. For random-sign inputs the rounding
// errors of a float32 sum of k products behave like a random walk: with u = 2^-24 the
// error of sequential summation has standard deviation about u k / sqrt 6 times the term
// size, while the result is about sqrt k times the term size, so the relative error is
// about u sqrt(k / 6): 2.8e-6 at k = 12800 even for one long sequential sum (the kernel
// sums 384-deep blocks, which is smaller still). The bound therefore need not grow
// with k in the tested range (it would from k of about 1.6e5 on).
using System.Collections.Generic;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class GemmTests
{
    public static IEnumerable<object[]> Cases()
    {
        int[][] shapes =
        {
            new[] { 1, 1, 1 }, new[] { 1, 64, 1 }, new[] { 6, 64, 384 }, new[] { 7, 65, 385 }, new[] { 37, 197, 45 },
            new[] { 197, 37, 13 }, new[] { 64, 5, 777 }, new[] { 100, 130, 1000 }, new[] { 12, 128, 2 },
        };
        foreach (int[] s in shapes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    yield return new object[] { s[0], s[1], s[2], transA, transB, 0f };
                    yield return new object[] { s[0], s[1], s[2], transA, transB, 1f };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFloat64Reference(int m, int n, int k, bool transA, bool transB, float beta)
    {
        Check(m, n, k, transA, transB, beta, seed: m * 1000 + n * 10 + k);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void LongReductionStaysWithinBound(bool transA, bool transB)
    {
        // The weight-gradient orientation at a training batch's row count.
        Check(13, 70, 12800, transA, transB, 0f, seed: 77);
    }

    [Fact]
    public void ModelShapeForward()
    {
        Check(1000, 384, 128, false, true, 0f, seed: 5);
    }

    [Fact]
    public void GeneralBetaScalesOldC()
    {
        Check(37, 70, 500, false, true, 0.5f, seed: 9);
    }

    [Fact]
    public void EmptyReductionGivesBetaC()
    {
        Check(9, 70, 0, false, false, 0f, seed: 3);
        Check(9, 70, 0, true, true, 1f, seed: 4);
    }

    private static void Check(int m, int n, int k, bool transA, bool transB, float beta, int seed)
    {
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 5;
        int ldc = n + 7;
        float[] a = GemmReference.StridedRandom(seed, transA ? k : m, transA ? m : k, lda);
        float[] b = GemmReference.StridedRandom(seed + 1, transB ? n : k, transB ? k : n, ldb);
        float[] c = beta == 0 ? KernelTestData.Poisoned((long)m * ldc) : GemmReference.StridedRandom(seed + 2, m, n, ldc);
        float[] oldC = (float[])c.Clone();

        double[] product = GemmReference.Product(m, n, k, a, lda, transA, b, ldb, transB);
        double[] expected = GemmReference.Apply(GemmEpilogueKind.None, product, m, n, null, null, 0, null, 0, null, 1, beta, oldC, ldc, out _);

        Gemm.Compute(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta);

        KernelAssert.Close(GemmReference.Extract(c, m, n, ldc), expected, $"C ({m}x{n}x{k}, tA={transA}, tB={transB}, beta={beta})");
        KernelAssert.PaddingUntouched(c, m, n, ldc, "C");
    }
}
