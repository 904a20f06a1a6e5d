// Vectorised float exp, erfc and the exact (erf) GELU with its derivative, in Vector512
// and Vector256 forms. .NET has no float erf, and the GELU needs one accurate to about
// 1e-7 relative; the GEMM epilogue, the activation kernels and the softmaxes share these.
//
// exp: x = n ln2 + r with a two-part ln2 (Cody-Waite), |r| <= ln2/2, then a degree-7
// Taylor polynomial (truncation 6e-9 relative) and 2^n built in the exponent bits.
// erfc: Numerical Recipes' erfcc (Press et al., 2nd ed., 6.2), a Chebyshev fit of
// ln(erfc(z)/t) + z^2 in t = 1/(1 + z/2) with fractional error below 1.2e-7 for all z >= 0.
// In float, rounding z^2 and adding it to the fit would cost up to 8 ulp at z = 8, so z^2
// is split exactly (hi + lo by FMA) and hi enters exp's range reduction unrounded.
// erf: its Taylor series (12 terms, truncation below 1e-10) for |z| < 1, 1 - erfc beyond.
// GELU: 0.5 x (1 + erf(u)), u = x/sqrt2, with 1 + erf(u) = 2 - erfc(u) for u >= 0 (at
// least 1, so erfc's relative error bounds it) and erfc(-u) below, so the negative tail
// never cancels; u^2 = x^2/2 is taken from the exact split of x^2 (rounding u first would
// cost 2 u^2 ulp).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static class SimdMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    // Below this exp underflows past the smallest normal float; the result is flushed to 0.
    private const float ExpLowest = -87.3365447505531f;
    // e^88 is below float.MaxValue, and 2^n stays a normal float (n <= 127).
    private const float ExpHighest = 88.0f;
    private const float InvSqrt2 = 0.707106781186547524f;
    private const float InvSqrt2Pi = 0.398942280401432678f;

    // Numerical Recipes erfcc coefficients.
    private const float E0 = -1.26551223f, E1 = 1.00002368f, E2 = 0.37409196f, E3 = 0.09678418f, E4 = -0.18628806f;
    private const float E5 = 0.27886807f, E6 = -1.13520398f, E7 = 1.48851587f, E8 = -0.82215223f, E9 = 0.17087277f;

    // erf Taylor coefficients 2/sqrt(pi) (-1)^n / (n! (2n + 1)).
    private const float T0 = 1.1283791670955126f, T1 = -0.37612638903183754f, T2 = 0.11283791670955126f;
    private const float T3 = -0.026866170645131252f, T4 = 0.005223977625442188f, T5 = -0.0008548327023450852f;
    private const float T6 = 0.00012055332981789664f, T7 = -1.492565035840625e-05f, T8 = 1.6462114365889246e-06f;
    private const float T9 = -1.6365844691234924e-07f, T10 = 1.4807192815879218e-08f, T11 = -1.2290555301717926e-09f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(ExpLowest)), Vector512.Create(ExpHighest));
        Vector512<float> n = Vector512.Round(clamped * Log2E);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        return ScaleByPowerOfTwo(x, n, r);
    }

    /// <summary>exp(a + b) with a large and exact, b small, for arguments at most 0: a enters the range reduction unrounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpSum(Vector512<float> a, Vector512<float> b)
    {
        Vector512<float> sum = a + b;
        Vector512<float> n = Vector512.Round(Vector512.Max(sum, Vector512.Create(ExpLowest)) * Log2E);
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), a) + b;
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        return ScaleByPowerOfTwo(sum, n, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ScaleByPowerOfTwo(Vector512<float> x, Vector512<float> n, Vector512<float> r)
    {
        Vector512<float> p = Vector512.Create(1f / 5040f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 720f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        Vector512<int> bits = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23);
        Vector512<float> result = p * bits.AsSingle();
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpLowest)), Vector512<float>.Zero, result);
    }

    /// <summary>erfc(z) for z >= 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ErfcNonNegative(Vector512<float> z)
    {
        Vector512<float> squareHi = z * z;
        return ErfcNonNegative(z, squareHi, Vector512.FusedMultiplyAdd(z, z, -squareHi));
    }

    /// <summary>erfc(z) for z >= 0, given z^2 = squareHi + squareLo exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ErfcNonNegative(Vector512<float> z, Vector512<float> squareHi, Vector512<float> squareLo)
    {
        Vector512<float> t = Vector512<float>.One / Vector512.FusedMultiplyAdd(z, Vector512.Create(0.5f), Vector512<float>.One);
        Vector512<float> p = Vector512.Create(E9);
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E8));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E7));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E6));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E5));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E1));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(E0));
        return t * ExpSum(-squareHi, p - squareLo);
    }

    /// <summary>erf(z) by its Taylor series; accurate for |z| &lt; 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ErfSeries(Vector512<float> z)
    {
        Vector512<float> s = z * z;
        Vector512<float> p = Vector512.Create(T11);
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T10));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T9));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T8));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T7));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T6));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T5));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T4));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T3));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T2));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T1));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(T0));
        return z * p;
    }

    /// <summary>1 + erf(x / sqrt 2), i.e. twice the normal CDF, without cancellation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TwiceNormalCdf(Vector512<float> x, Vector512<float> halfSquareHi, Vector512<float> halfSquareLo)
    {
        Vector512<float> u = x * InvSqrt2;
        Vector512<float> tail = ErfcNonNegative(Vector512.Abs(u), halfSquareHi, halfSquareLo);
        return Vector512.ConditionalSelect(Vector512.LessThan(u, Vector512<float>.Zero), tail, Vector512.Create(2f) - tail);
    }

    /// <summary>Exact GELU: 0.5 x (1 + erf(x / sqrt 2)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> x)
    {
        Vector512<float> half = Vector512.Create(0.5f);
        Vector512<float> squareHi = x * x;
        Vector512<float> squareLo = Vector512.FusedMultiplyAdd(x, x, -squareHi);
        return half * x * TwiceNormalCdf(x, squareHi * half, squareLo * half);
    }

    /// <summary>GELU'(x) = Phi(x) + x phi(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GeluDerivative(Vector512<float> x)
    {
        Vector512<float> half = Vector512.Create(0.5f);
        Vector512<float> squareHi = x * x;
        Vector512<float> squareLo = Vector512.FusedMultiplyAdd(x, x, -squareHi);
        Vector512<float> halfSquareHi = squareHi * half, halfSquareLo = squareLo * half;
        Vector512<float> density = ExpSum(-halfSquareHi, -halfSquareLo) * InvSqrt2Pi;
        return Vector512.FusedMultiplyAdd(x, density, half * TwiceNormalCdf(x, halfSquareHi, halfSquareLo));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(ExpLowest)), Vector256.Create(ExpHighest));
        Vector256<float> n = Vector256.Round(clamped * Log2E);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        return ScaleByPowerOfTwo(x, n, r);
    }

    /// <summary>exp(a + b) with a large and exact, b small, for arguments at most 0: a enters the range reduction unrounded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpSum(Vector256<float> a, Vector256<float> b)
    {
        Vector256<float> sum = a + b;
        Vector256<float> n = Vector256.Round(Vector256.Max(sum, Vector256.Create(ExpLowest)) * Log2E);
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), a) + b;
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        return ScaleByPowerOfTwo(sum, n, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ScaleByPowerOfTwo(Vector256<float> x, Vector256<float> n, Vector256<float> r)
    {
        Vector256<float> p = Vector256.Create(1f / 5040f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 720f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        Vector256<int> bits = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23);
        Vector256<float> result = p * bits.AsSingle();
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLowest)), Vector256<float>.Zero, result);
    }

    /// <summary>erfc(z) for z >= 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ErfcNonNegative(Vector256<float> z)
    {
        Vector256<float> squareHi = z * z;
        return ErfcNonNegative(z, squareHi, Vector256.FusedMultiplyAdd(z, z, -squareHi));
    }

    /// <summary>erfc(z) for z >= 0, given z^2 = squareHi + squareLo exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ErfcNonNegative(Vector256<float> z, Vector256<float> squareHi, Vector256<float> squareLo)
    {
        Vector256<float> t = Vector256<float>.One / Vector256.FusedMultiplyAdd(z, Vector256.Create(0.5f), Vector256<float>.One);
        Vector256<float> p = Vector256.Create(E9);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E8));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E7));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E6));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E5));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E4));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E3));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E2));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E1));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(E0));
        return t * ExpSum(-squareHi, p - squareLo);
    }

    /// <summary>erf(z) by its Taylor series; accurate for |z| &lt; 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ErfSeries(Vector256<float> z)
    {
        Vector256<float> s = z * z;
        Vector256<float> p = Vector256.Create(T11);
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T10));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T9));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T8));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T7));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T6));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T5));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T4));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T3));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T2));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T1));
        p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(T0));
        return z * p;
    }

    /// <summary>1 + erf(x / sqrt 2), i.e. twice the normal CDF, without cancellation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TwiceNormalCdf(Vector256<float> x, Vector256<float> halfSquareHi, Vector256<float> halfSquareLo)
    {
        Vector256<float> u = x * InvSqrt2;
        Vector256<float> tail = ErfcNonNegative(Vector256.Abs(u), halfSquareHi, halfSquareLo);
        return Vector256.ConditionalSelect(Vector256.LessThan(u, Vector256<float>.Zero), tail, Vector256.Create(2f) - tail);
    }

    /// <summary>Exact GELU: 0.5 x (1 + erf(x / sqrt 2)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> squareHi = x * x;
        Vector256<float> squareLo = Vector256.FusedMultiplyAdd(x, x, -squareHi);
        return half * x * TwiceNormalCdf(x, squareHi * half, squareLo * half);
    }

    /// <summary>GELU'(x) = Phi(x) + x phi(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GeluDerivative(Vector256<float> x)
    {
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> squareHi = x * x;
        Vector256<float> squareLo = Vector256.FusedMultiplyAdd(x, x, -squareHi);
        Vector256<float> halfSquareHi = squareHi * half, halfSquareLo = squareLo * half;
        Vector256<float> density = ExpSum(-halfSquareHi, -halfSquareLo) * InvSqrt2Pi;
        return Vector256.FusedMultiplyAdd(x, density, half * TwiceNormalCdf(x, halfSquareHi, halfSquareLo));
    }

    // Scalar forms run the Vector256 code on one lane, so that tails and vector bodies
    // use identical arithmetic.
    public static float Exp(float x) => Exp(Vector256.Create(x)).ToScalar();

    public static float Gelu(float x) => Gelu(Vector256.Create(x)).ToScalar();

    public static float GeluDerivative(float x) => GeluDerivative(Vector256.Create(x)).ToScalar();

    public static float ErfcNonNegative(float z) => ErfcNonNegative(Vector256.Create(z)).ToScalar();

    public static float ErfSeries(float z) => ErfSeries(Vector256.Create(z)).ToScalar();
}
