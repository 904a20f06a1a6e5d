// Activation.Gelu / GeluBackward against the float64 exact GELU, whose derivative is
// itself checked by central differences. Lengths cover the vector bodies and the tails.
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class ActivationTests
{
    [Fact]
    public void ReferenceDerivativeMatchesFiniteDifferences()
    {
        float[] x = KernelTestData.Uniform(1, 400, 6f);
        var numerical = new double[x.Length];
        var analytic = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            numerical[i] = ReferenceMath.Derivative(ReferenceMath.Gelu, x[i]);
            analytic[i] = ReferenceMath.GeluDerivative(x[i]);
        }

        FiniteDifference.AssertMatches(numerical, analytic, "gelu'");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(16384 + 197)]
    [InlineData(100003)]
    public void ForwardMatchesReference(int count)
    {
        float[] x = KernelTestData.Uniform(count, count, 5f);
        float[] y = KernelTestData.Poisoned(count);
        Activation.Gelu(x, y);
        var expected = new double[count];
        for (int i = 0; i < count; i++) expected[i] = ReferenceMath.Gelu(x[i]);
        KernelAssert.Close(y, expected, "gelu");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    [InlineData(16384 + 197)]
    public void BackwardMatchesReference(int count)
    {
        float[] pre = KernelTestData.Uniform(count, count, 5f);
        float[] dy = KernelTestData.Uniform(count + 1, count);
        float[] dx = KernelTestData.Poisoned(count);
        Activation.GeluBackward(dy, pre, dx);
        var expected = new double[count];
        for (int i = 0; i < count; i++) expected[i] = dy[i] * ReferenceMath.GeluDerivative(pre[i]);
        KernelAssert.Close(dx, expected, "gelu backward");
    }

    [Fact]
    public void PointwiseErrorIsSmallAcrossTheRange()
    {
        // Element by element, not only norm-wise: the negative tail must not cancel. The
        // bound is erfc's (4e-7, see ErrorFunctionTests) plus a few roundings.
        float[] x = new float[4001];
        for (int i = 0; i < x.Length; i++) x[i] = -10f + i * 0.005f;
        float[] y = KernelTestData.Poisoned(x.Length);
        float[] dx = KernelTestData.Poisoned(x.Length);
        float[] ones = new float[x.Length];
        Array.Fill(ones, 1f);
        Activation.Gelu(x, y);
        Activation.GeluBackward(ones, x, dx);
        for (int i = 0; i < x.Length; i++)
        {
            double reference = ReferenceMath.Gelu(x[i]);
            if (reference != 0) Assert.InRange(Math.Abs(y[i] - reference) / Math.Abs(reference), 0, 6e-7);
            // gelu' = Phi(x) + x phi(x) crosses zero near x = -0.75, so its error is measured
            // against the size of the two terms, not of their sum.
            double derivative = ReferenceMath.GeluDerivative(x[i]);
            double terms = 0.5 * ReferenceMath.Erfc(-x[i] / Math.Sqrt(2)) + Math.Abs(x[i]) * Math.Exp(-0.5 * x[i] * x[i]) / Math.Sqrt(2 * Math.PI);
            Assert.InRange(Math.Abs(dx[i] - derivative), 0, 6e-7 * terms);
        }
    }
}
