// Single-precision erf and erfc (.NET has neither for float), on the same arithmetic as
// the vector GELU (SimdMath): the Taylor series for |x| < 1, the Numerical Recipes erfc
// fit with an exactly split x^2 elsewhere.
using System;

namespace DinoCompiled.Cpu;

/// <summary>The error function in single precision, accurate to about 1e-7 relative.</summary>
public static class ErrorFunction
{
    /// <summary>erf(x).</summary>
    public static float Erf(float x)
    {
        if (float.IsNaN(x)) return x;
        float z = MathF.Abs(x);
        if (z < 1f) return SimdMath.ErfSeries(x);
        float e = 1f - SimdMath.ErfcNonNegative(z);
        return x < 0 ? -e : e;
    }

    /// <summary>erfc(x) = 1 - erf(x), relatively accurate in the tail.</summary>
    public static float Erfc(float x)
    {
        if (float.IsNaN(x)) return x;
        if (x >= 0) return SimdMath.ErfcNonNegative(x);
        if (x > -1f) return 1f - SimdMath.ErfSeries(x);
        return 2f - SimdMath.ErfcNonNegative(-x);
    }
}
