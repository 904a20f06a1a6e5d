// Checks that a float64 reference backward is the derivative of its forward: for
// L(x) = <dy, f(x)>, the central difference (L(x + h e_j) - L(x - h e_j)) / 2h must match the
// reference gradient dx_j. In double, with h = 1e-5, truncation (h^2) and rounding
// (1e-16 / h) errors are both far below the 1e-6 bound.
using System;
using Xunit.Sdk;

namespace DinoCompiled.Tests.Kernels;

internal static class FiniteDifference
{
    public const double Bound = 1e-6;

    /// <summary>Numerical gradient of x -> sum_i dy_i f(x)_i.</summary>
    public static double[] Gradient(Func<double[], double[]> f, double[] x, double[] dy, double h = 1e-5)
    {
        var gradient = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int j = 0; j < x.Length; j++)
        {
            probe[j] = x[j] + h;
            double plus = Dot(dy, f(probe));
            probe[j] = x[j] - h;
            double minus = Dot(dy, f(probe));
            probe[j] = x[j];
            gradient[j] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    /// <summary>Numerical gradient of a scalar function.</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, double h = 1e-5)
    {
        var gradient = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int j = 0; j < x.Length; j++)
        {
            probe[j] = x[j] + h;
            double plus = f(probe);
            probe[j] = x[j] - h;
            double minus = f(probe);
            probe[j] = x[j];
            gradient[j] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    public static void AssertMatches(double[] numerical, double[] analytic, string what, double bound = Bound)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < numerical.Length; i++)
        {
            diff += (numerical[i] - analytic[i]) * (numerical[i] - analytic[i]);
            norm += numerical[i] * numerical[i];
        }

        double error = Math.Sqrt(diff / Math.Max(norm, 1e-300));
        if (!(error < bound)) throw new XunitException($"{what}: finite differences disagree with the reference gradient, relative error {error:E3}.");
    }

    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
