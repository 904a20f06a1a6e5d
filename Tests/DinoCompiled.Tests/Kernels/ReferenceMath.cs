// Float64 references written independently of the kernels: erf by its Taylor series and
// erfc by its continued fraction, the exact GELU and its derivative, central differences.
using System;

namespace DinoCompiled.Tests.Kernels;

internal static class ReferenceMath
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 3) return Math.Sign(x) * (1 - ErfcContinuedFraction(Math.Abs(x)));
        // Alternating series; below |x| = 3 the largest term is about 1e3, so double keeps
        // about 13 digits after cancellation.
        double sum = 0, power = x, factorial = 1;
        for (int n = 0; n < 200; n++)
        {
            double term = power / (factorial * (2 * n + 1));
            sum += term;
            if (Math.Abs(term) < 1e-18 * Math.Abs(sum)) break;
            power *= -x * x;
            factorial *= n + 1;
        }

        return TwoOverSqrtPi * sum;
    }

    public static double Erfc(double x)
    {
        if (x >= 3) return ErfcContinuedFraction(x);
        return 1 - Erf(x);
    }

    // erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated
    // from the tail; 200 levels are far beyond convergence for z >= 3.
    private static double ErfcContinuedFraction(double z)
    {
        double tail = z;
        for (int n = 200; n >= 1; n--) tail = z + n / 2.0 / tail;
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / tail;
    }

    // 1 + erf(u) is written erfc(-u): for very negative x, 1 + erf would cancel to nothing.
    public static double Gelu(double x) => 0.5 * x * Erfc(-x / Math.Sqrt(2));

    public static double GeluDerivative(double x) =>
        0.5 * Erfc(-x / Math.Sqrt(2)) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    /// <summary>Central difference of f at x with step h.</summary>
    public static double Derivative(Func<double, double> f, double x, double h = 1e-5) => (f(x + h) - f(x - h)) / (2 * h);
}
