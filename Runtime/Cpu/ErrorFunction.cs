// Single-precision erf and erfc (.NET has neither for float). erfc uses the
// Numerical Recipes fit in SimdMath (fractional error below 1.2e-7); erf uses its Taylor
// series near 0, where 1 - erfc would lose relative accuracy, and 1 - erfc elsewhere.
using System;

namespace DinoCompiled.Cpu;

/// <summary>The error function in single precision, accurate to about 1e-7 relative.</summary>
public static class ErrorFunction
{
    // Below this, eight Taylor terms reach 4e-10 relative truncation error.
    private const float SeriesLimit = 0.5f;

    // 2/sqrt(pi) * (-1)^n / (n! (2n + 1)) for n = 0..7.
    private const float T0 = 1.12837916709551257f;
    private const float T1 = -0.376126389031837525f;
    private const float T2 = 0.112837916709551257f;
    private const float T3 = -0.0268661706451312518f;
    private const float T4 = 0.00522397762544218784f;
    private const float T5 = -0.000854832702345085283f;
    private const float T6 = 0.000120553329817896643f;
    private const float T7 = -0.0000149256027393586320f;

    /// <summary>erf(x).</summary>
    public static float Erf(float x)
    {
        if (float.IsNaN(x)) return x;
        float z = MathF.Abs(x);
        if (z < SeriesLimit)
        {
            float s = z * z;
            float p = MathF.FusedMultiplyAdd(T7, s, T6);
            p = MathF.FusedMultiplyAdd(p, s, T5);
            p = MathF.FusedMultiplyAdd(p, s, T4);
            p = MathF.FusedMultiplyAdd(p, s, T3);
            p = MathF.FusedMultiplyAdd(p, s, T2);
            p = MathF.FusedMultiplyAdd(p, s, T1);
            p = MathF.FusedMultiplyAdd(p, s, T0);
            return x * p;
        }

        float e = 1f - SimdMath.ErfcNonNegative(z);
        return x < 0 ? -e : e;
    }

    /// <summary>erfc(x) = 1 - erf(x), relatively accurate in the tail.</summary>
    public static float Erfc(float x)
    {
        if (float.IsNaN(x)) return x;
        if (x >= 0) return SimdMath.ErfcNonNegative(x);
        if (x > -SeriesLimit) return 1f - Erf(x);
        return 2f - SimdMath.ErfcNonNegative(-x);
    }
}
