// LayerNorm against a float64 reference whose backward is checked by central differences.
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class LayerNormTests
{
    private const float Eps = 1e-6f;

    private static double[] ReferenceForward(double[] x, double[] gamma, double[] beta, int rows, int dim, out double[] mean, out double[] rstd)
    {
        var y = new double[rows * dim];
        mean = new double[rows];
        rstd = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double m = 0, v = 0;
            for (int j = 0; j < dim; j++) m += x[r * dim + j];
            m /= dim;
            for (int j = 0; j < dim; j++) v += (x[r * dim + j] - m) * (x[r * dim + j] - m);
            v /= dim;
            double s = 1 / Math.Sqrt(v + Eps);
            mean[r] = m;
            rstd[r] = s;
            for (int j = 0; j < dim; j++) y[r * dim + j] = (x[r * dim + j] - m) * s * gamma[j] + beta[j];
        }

        return y;
    }

    private static void ReferenceBackward(double[] dy, double[] x, double[] gamma, int rows, int dim,
        out double[] dx, out double[] dgamma, out double[] dbeta)
    {
        ReferenceForward(x, gamma, new double[dim], rows, dim, out double[] mean, out double[] rstd);
        dx = new double[rows * dim];
        dgamma = new double[dim];
        dbeta = new double[dim];
        for (int r = 0; r < rows; r++)
        {
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < dim; j++)
            {
                double xhat = (x[r * dim + j] - mean[r]) * rstd[r];
                double g = dy[r * dim + j] * gamma[j];
                sumG += g;
                sumGx += g * xhat;
                dgamma[j] += dy[r * dim + j] * xhat;
                dbeta[j] += dy[r * dim + j];
            }

            for (int j = 0; j < dim; j++)
            {
                double xhat = (x[r * dim + j] - mean[r]) * rstd[r];
                dx[r * dim + j] = rstd[r] * (dy[r * dim + j] * gamma[j] - sumG / dim - xhat * sumGx / dim);
            }
        }
    }

    [Fact]
    public void ReferenceBackwardMatchesFiniteDifferences()
    {
        const int rows = 3, dim = 7;
        double[] x = KernelTestData.ToDouble(KernelTestData.Uniform(1, rows * dim, 2f));
        double[] gamma = KernelTestData.ToDouble(KernelTestData.Uniform(2, dim));
        double[] beta = KernelTestData.ToDouble(KernelTestData.Uniform(3, dim));
        double[] dy = KernelTestData.ToDouble(KernelTestData.Uniform(4, rows * dim));
        ReferenceBackward(dy, x, gamma, rows, dim, out double[] dx, out double[] dgamma, out double[] dbeta);

        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceForward(v, gamma, beta, rows, dim, out _, out _), x, dy), dx, "dx");
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceForward(x, v, beta, rows, dim, out _, out _), gamma, dy), dgamma, "dgamma");
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceForward(x, gamma, v, rows, dim, out _, out _), beta, dy), dbeta, "dbeta");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 37)]
    [InlineData(197, 128)]
    [InlineData(130, 384)]
    [InlineData(64 * 3 + 1, 13)]
    public void ForwardMatchesReference(int rows, int dim)
    {
        float[] x = KernelTestData.Uniform(rows + dim, (long)rows * dim, 3f);
        for (int i = 0; i < x.Length; i++) x[i] += 1.5f; // a mean away from zero
        float[] gamma = KernelTestData.Uniform(2, dim), beta = KernelTestData.Uniform(3, dim);
        float[] y = KernelTestData.Poisoned((long)rows * dim), mean = KernelTestData.Poisoned(rows), rstd = KernelTestData.Poisoned(rows);

        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, dim, Eps);

        double[] expected = ReferenceForward(KernelTestData.ToDouble(x), KernelTestData.ToDouble(gamma), KernelTestData.ToDouble(beta),
            rows, dim, out double[] expectedMean, out double[] expectedRstd);
        KernelAssert.Close(y, expected, "y");
        KernelAssert.Close(mean, expectedMean, "mean");
        KernelAssert.Close(rstd, expectedRstd, "rstd");
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(5, 37, true)]
    [InlineData(197, 128, false)]
    [InlineData(130, 384, true)]
    [InlineData(64 * 3 + 1, 13, false)]
    public void BackwardMatchesReference(int rows, int dim, bool accumulateDx)
    {
        float[] x = KernelTestData.Uniform(rows * 3 + dim, (long)rows * dim, 3f);
        float[] gamma = KernelTestData.Uniform(2, dim), beta = KernelTestData.Uniform(3, dim);
        float[] dy = KernelTestData.Uniform(4, (long)rows * dim);
        float[] y = new float[rows * dim], mean = new float[rows], rstd = new float[rows];
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, dim, Eps);

        float[] dx = accumulateDx ? KernelTestData.Uniform(5, (long)rows * dim) : KernelTestData.Poisoned((long)rows * dim);
        float[] dgamma = KernelTestData.Uniform(6, dim), dbeta = KernelTestData.Uniform(7, dim);
        float[] dx0 = (float[])dx.Clone(), dgamma0 = (float[])dgamma.Clone(), dbeta0 = (float[])dbeta.Clone();

        LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, dim, accumulateDx);

        ReferenceBackward(KernelTestData.ToDouble(dy), KernelTestData.ToDouble(x), KernelTestData.ToDouble(gamma), rows, dim,
            out double[] expectedDx, out double[] expectedDgamma, out double[] expectedDbeta);
        if (accumulateDx) for (int i = 0; i < expectedDx.Length; i++) expectedDx[i] += dx0[i];
        for (int j = 0; j < dim; j++)
        {
            expectedDgamma[j] += dgamma0[j];
            expectedDbeta[j] += dbeta0[j];
        }

        KernelAssert.Close(dx, expectedDx, "dx");
        KernelAssert.Close(dgamma, expectedDgamma, "dgamma");
        KernelAssert.Close(dbeta, expectedDbeta, "dbeta");
    }
}
