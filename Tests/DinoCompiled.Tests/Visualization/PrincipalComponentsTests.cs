using System;
using System.Linq;
using DinoCompiled.Visualization;
using Xunit;

namespace DinoCompiled.Tests.Visualization;

public sealed class PrincipalComponentsTests
{
    [Fact]
    public void ItFindsPlantedAxesInOrderOfVariance()
    {
        const int dim = 24, n = 4000;
        var random = new Random(5);
        // Three orthonormal planted directions with standard deviations 5, 3, 2 over isotropic noise of 0.3.
        var axes = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            axes[k] = Enumerable.Range(0, dim).Select(_ => Normal(random)).ToArray();
            for (int l = 0; l < k; l++)
            {
                double dot = axes[k].Zip(axes[l], (a, b) => a * b).Sum();
                for (int j = 0; j < dim; j++) axes[k][j] -= dot * axes[l][j];
            }
            double norm = Math.Sqrt(axes[k].Sum(x => x * x));
            for (int j = 0; j < dim; j++) axes[k][j] /= norm;
        }
        double[] spread = [5, 3, 2];
        var rows = new float[n * dim];
        for (int r = 0; r < n; r++)
        {
            var coefficients = spread.Select(s => s * Normal(random)).ToArray();
            for (int j = 0; j < dim; j++)
                rows[r * dim + j] = (float)(7 + 0.3 * Normal(random) + coefficients[0] * axes[0][j] + coefficients[1] * axes[1][j] + coefficients[2] * axes[2][j]);
        }

        var pca = PrincipalComponents.Fit(rows, dim, 3);
        for (int k = 0; k < 3; k++)
        {
            double alignment = Math.Abs(pca.Components[k].Zip(axes[k], (a, b) => a * b).Sum());
            Assert.True(alignment > 0.995, $"component {k} is {alignment:F4} aligned with its planted axis");
            double expected = spread[k] * spread[k] + 0.09;
            Assert.True(Math.Abs(pca.Variances[k] - expected) / expected < 0.08, $"variance {k}: {pca.Variances[k]:F3}, planted {expected:F3}");
        }
        Assert.True(pca.Mean.All(m => Math.Abs(m - 7) < 0.3));
        // The coordinates of the rows have the fitted variances.
        var coordinates = pca.Project(rows);
        double variance0 = Enumerable.Range(0, n).Select(r => coordinates[r * 3] * coordinates[r * 3]).Sum() / (n - 1);
        Assert.Equal(pca.Variances[0], variance0, 6);
    }

    [Fact]
    public void TooFewRowsIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => PrincipalComponents.Fit(new float[8], 4, 1, [true, false]));
        Assert.Contains("at least 2 rows", error.Message);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
