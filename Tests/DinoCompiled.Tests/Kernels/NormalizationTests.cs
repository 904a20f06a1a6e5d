// The head's L2 normalisation and weight normalisation against float64 references whose
// backward passes are checked by central differences.
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class NormalizationTests
{
    private static double[] L2(double[] x, int rows, int dim)
    {
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double n = 0;
            for (int j = 0; j < dim; j++) n += x[r * dim + j] * x[r * dim + j];
            n = Math.Max(Math.Sqrt(n), 1e-12);
            for (int j = 0; j < dim; j++) y[r * dim + j] = x[r * dim + j] / n;
        }

        return y;
    }

    private static double[] L2Backward(double[] dy, double[] x, int rows, int dim)
    {
        var dx = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            double n = 0, dot = 0;
            for (int j = 0; j < dim; j++)
            {
                n += x[r * dim + j] * x[r * dim + j];
                dot += x[r * dim + j] * dy[r * dim + j];
            }

            n = Math.Sqrt(n);
            for (int j = 0; j < dim; j++) dx[r * dim + j] = dy[r * dim + j] / n - x[r * dim + j] * dot / (n * n * n);
        }

        return dx;
    }

    private static double[] WeightNormForward(double[] g, double[] v, int rows, int cols)
    {
        var w = new double[v.Length];
        for (int i = 0; i < rows; i++)
        {
            double n = 0;
            for (int j = 0; j < cols; j++) n += v[i * cols + j] * v[i * cols + j];
            n = Math.Sqrt(n);
            for (int j = 0; j < cols; j++) w[i * cols + j] = g[i] * v[i * cols + j] / n;
        }

        return w;
    }

    private static void WeightNormBackward(double[] dw, double[] g, double[] v, int rows, int cols, out double[] dg, out double[] dv)
    {
        dg = new double[rows];
        dv = new double[v.Length];
        for (int i = 0; i < rows; i++)
        {
            double n = 0, dot = 0;
            for (int j = 0; j < cols; j++)
            {
                n += v[i * cols + j] * v[i * cols + j];
                dot += dw[i * cols + j] * v[i * cols + j];
            }

            n = Math.Sqrt(n);
            dg[i] = dot / n;
            for (int j = 0; j < cols; j++) dv[i * cols + j] = g[i] / n * dw[i * cols + j] - g[i] * dot / (n * n * n) * v[i * cols + j];
        }
    }

    [Fact]
    public void ReferenceBackwardsMatchFiniteDifferences()
    {
        const int rows = 3, dim = 5;
        double[] x = KernelTestData.ToDouble(KernelTestData.Uniform(1, rows * dim));
        double[] dy = KernelTestData.ToDouble(KernelTestData.Uniform(2, rows * dim));
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => L2(v, rows, dim), x, dy), L2Backward(dy, x, rows, dim), "L2 dx");

        double[] g = KernelTestData.ToDouble(KernelTestData.Uniform(3, rows, 0.5f, 2f));
        WeightNormBackward(dy, g, x, rows, dim, out double[] dg, out double[] dv);
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => WeightNormForward(g, v, rows, dim), x, dy), dv, "weight norm dv");
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => WeightNormForward(v, x, rows, dim), g, dy), dg, "weight norm dg");
    }

    [Theory]
    [InlineData(1, 2)] // dim 1 is degenerate: x/|x| is a constant, its gradient exactly 0
    [InlineData(37, 256)]
    [InlineData(1024, 128)]
    [InlineData(33, 13)]
    public void L2MatchesReference(int rows, int dim)
    {
        float[] x = KernelTestData.Uniform(rows + dim, (long)rows * dim);
        float[] y = KernelTestData.Poisoned(x.Length), norms = KernelTestData.Poisoned(rows);
        Normalize.L2Forward(x, y, norms, rows, dim);
        double[] xd = KernelTestData.ToDouble(x);
        KernelAssert.Close(y, L2(xd, rows, dim), "y");
        var expectedNorms = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < dim; j++) expectedNorms[r] += xd[r * dim + j] * xd[r * dim + j];
            expectedNorms[r] = Math.Sqrt(expectedNorms[r]);
        }

        KernelAssert.Close(norms, expectedNorms, "norms");

        float[] dy = KernelTestData.Uniform(7, x.Length);
        float[] dx = KernelTestData.Poisoned(x.Length);
        Normalize.L2Backward(dy, x, norms, dx, rows, dim);
        KernelAssert.Close(dx, L2Backward(KernelTestData.ToDouble(dy), xd, rows, dim), "dx");
    }

    [Fact]
    public void L2OfZeroRowUsesTheClamp()
    {
        float[] x = new float[4], y = KernelTestData.Poisoned(4), norms = KernelTestData.Poisoned(1), dx = KernelTestData.Poisoned(4);
        Normalize.L2Forward(x, y, norms, 1, 4);
        Assert.Equal(new float[4], y);
        Normalize.L2Backward(new float[] { 1e-13f, 0, 0, 0 }, x, norms, dx, 1, 4);
        Assert.Equal(0.1f, dx[0], 1e-6f);
    }

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(4096, 128, false)]
    [InlineData(37, 256, true)]
    [InlineData(65, 13, true)]
    public void WeightNormMatchesReference(int rows, int cols, bool gradG)
    {
        float[] g = KernelTestData.Uniform(1, rows, 0.5f, 2f);
        float[] v = KernelTestData.Uniform(2, (long)rows * cols);
        float[] w = KernelTestData.Poisoned(v.Length), norms = KernelTestData.Poisoned(rows);
        WeightNorm.Forward(g, v, w, norms, rows, cols);
        double[] gd = KernelTestData.ToDouble(g), vd = KernelTestData.ToDouble(v);
        KernelAssert.Close(w, WeightNormForward(gd, vd, rows, cols), "w");

        float[] dw = KernelTestData.Uniform(3, v.Length);
        float[] dg = gradG ? KernelTestData.Uniform(4, rows) : KernelTestData.Poisoned(rows);
        float[] dv = KernelTestData.Uniform(5, v.Length);
        float[] dg0 = (float[])dg.Clone(), dv0 = (float[])dv.Clone();
        WeightNorm.Backward(dw, g, v, norms, dg, dv, rows, cols, gradG);
        WeightNormBackward(KernelTestData.ToDouble(dw), gd, vd, rows, cols, out double[] eDg, out double[] eDv);
        for (int i = 0; i < eDv.Length; i++) eDv[i] += dv0[i];
        KernelAssert.Close(dv, eDv, "dv");
        if (gradG)
        {
            for (int i = 0; i < rows; i++) eDg[i] += dg0[i];
            KernelAssert.Close(dg, eDg, "dg");
        }
        else
        {
            Assert.All(dg, value => Assert.True(float.IsNaN(value))); // frozen g: dg untouched
        }
    }
}
