using System;
using System.Linq;
using DinoCompiled.Evaluation;
using Xunit;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>
/// RankMe and the Jacobi eigenvalues under it, on matrices built from known spectra: X = U diag(σ) Vᵀ with random
/// orthonormal U and V, so the exact answer is a formula of σ.
/// </summary>
public sealed class RankMeTests
{
    [Fact]
    public void JacobiRecoversAKnownSpectrum()
    {
        const int n = 40;
        var random = new Random(101);
        var q = Orthonormal(random, n, n);
        var lambda = Enumerable.Range(0, n).Select(i => (i % 3 == 0 ? -1 : 1) * (0.5 + random.NextDouble() * 10)).ToArray();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += q[i, k] * lambda[k] * q[j, k];
                a[i * n + j] = sum;
            }
        var values = SymmetricEigenvalues.Compute(a, n);
        var expected = lambda.OrderByDescending(v => v).ToArray();
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(values[i] - expected[i]) < 1e-10, $"eigenvalue {i}: {values[i]} against {expected[i]}");
    }

    [Theory]
    [InlineData(300, 32)]
    [InlineData(20, 48)]
    public void RankMeIsTheEntropyOfTheNormalizedSingularValues(int count, int dim)
    {
        var random = new Random(count * 7 + dim);
        int rank = Math.Min(count, dim);
        var sigma = Enumerable.Range(0, rank).Select(i => Math.Exp(-0.2 * i) * (1 + random.NextDouble())).ToArray();
        var x = Compose(random, count, dim, sigma);
        double sum = sigma.Sum();
        double expected = Math.Exp(-sigma.Sum(s => (s / sum + RankMe.Epsilon) * Math.Log(s / sum + RankMe.Epsilon)));
        double actual = RankMe.Compute(x, count, dim);
        // float32 storage of X perturbs each singular value by about 1e-7 of the largest.
        Assert.True(Math.Abs(actual - expected) < 1e-4 * expected, $"RankMe {actual} against {expected}");
        var singular = RankMe.SingularValues(x, count, dim);
        var sorted = sigma.OrderByDescending(s => s).ToArray();
        for (int i = 0; i < rank; i++) Assert.True(Math.Abs(singular[i] - sorted[i]) < 1e-5 * sorted[0], $"σ{i}: {singular[i]} against {sorted[i]}");
    }

    [Fact]
    public void APlantedRankIsFoundAndACollapseIsOne()
    {
        var random = new Random(7);
        var equalFive = Compose(random, 200, 64, [3, 3, 3, 3, 3]);
        // The ε of the 59 zero singular values adds 59 × 1.6e-6 to the entropy: RankMe is 5.0005, not 5.
        Assert.InRange(RankMe.Compute(equalFive, 200, 64), 5.0003, 5.0007);

        var collapsed = new float[100 * 16];
        for (int r = 0; r < 100; r++)
            for (int c = 0; c < 16; c++) collapsed[r * 16 + c] = 0.5f + c;
        // One nonzero singular value; the 15 others add 15 × 1.6e-6 through ε.
        Assert.InRange(RankMe.Compute(collapsed, 100, 16), 1.0, 1.0001);
    }

    /// <summary>U diag(σ) Vᵀ, count × dim, with σ padded by zeros to min(count, dim), as float32.</summary>
    private static float[] Compose(Random random, int count, int dim, double[] sigma)
    {
        var u = Orthonormal(random, count, sigma.Length);
        var v = Orthonormal(random, dim, sigma.Length);
        var x = new float[count * dim];
        for (int r = 0; r < count; r++)
            for (int c = 0; c < dim; c++)
            {
                double sum = 0;
                for (int k = 0; k < sigma.Length; k++) sum += u[r, k] * sigma[k] * v[c, k];
                x[r * dim + c] = (float)sum;
            }
        return x;
    }

    /// <summary>An rows × columns matrix with orthonormal columns: Gram-Schmidt (twice) on Gaussian columns.</summary>
    private static double[,] Orthonormal(Random random, int rows, int columns)
    {
        var m = new double[rows, columns];
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < rows; r++) m[r, c] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < c; k++)
                {
                    double dot = 0;
                    for (int r = 0; r < rows; r++) dot += m[r, k] * m[r, c];
                    for (int r = 0; r < rows; r++) m[r, c] -= dot * m[r, k];
                }
            double norm = 0;
            for (int r = 0; r < rows; r++) norm += m[r, c] * m[r, c];
            norm = Math.Sqrt(norm);
            for (int r = 0; r < rows; r++) m[r, c] /= norm;
        }
        return m;
    }
}
