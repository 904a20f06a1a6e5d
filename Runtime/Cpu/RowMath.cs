// Per-row dot products for the normalisation kernels: float lanes, lanes summed in double.
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static unsafe class RowMath
{
    /// <summary>sum over j &lt; count of x[j] y[j].</summary>
    public static double Dot(float* x, float* y, int count)
    {
        Vector256<float> s0 = default, s1 = default;
        int j = 0;
        for (; j + 16 <= count; j += 16)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + j), Vector256.Load(y + j), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + j + 8), Vector256.Load(y + j + 8), s1);
        }

        for (; j + 8 <= count; j += 8) s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + j), Vector256.Load(y + j), s0);
        double sum = Lanes(s0) + Lanes(s1);
        for (; j < count; j++) sum += (double)x[j] * y[j];
        return sum;
    }

    /// <summary>sum over j &lt; count of x[j].</summary>
    public static double Sum(float* x, int count)
    {
        Vector256<float> s0 = default, s1 = default;
        int j = 0;
        for (; j + 16 <= count; j += 16)
        {
            s0 += Vector256.Load(x + j);
            s1 += Vector256.Load(x + j + 8);
        }

        for (; j + 8 <= count; j += 8) s0 += Vector256.Load(x + j);
        double sum = Lanes(s0) + Lanes(s1);
        for (; j < count; j++) sum += x[j];
        return sum;
    }

    /// <summary>sum over j &lt; count of (x[j] - mean)^2.</summary>
    public static double SquaredDeviation(float* x, float mean, int count)
    {
        Vector256<float> s0 = default, s1 = default;
        Vector256<float> m = Vector256.Create(mean);
        int j = 0;
        for (; j + 16 <= count; j += 16)
        {
            Vector256<float> d0 = Vector256.Load(x + j) - m, d1 = Vector256.Load(x + j + 8) - m;
            s0 = Vector256.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector256.FusedMultiplyAdd(d1, d1, s1);
        }

        for (; j + 8 <= count; j += 8)
        {
            Vector256<float> d = Vector256.Load(x + j) - m;
            s0 = Vector256.FusedMultiplyAdd(d, d, s0);
        }

        double sum = Lanes(s0) + Lanes(s1);
        for (; j < count; j++) sum += (double)(x[j] - mean) * (x[j] - mean);
        return sum;
    }

    /// <summary>dst[j] = x[j] a + y[j] b for j &lt; count.</summary>
    public static void Combine(float* x, float a, float* y, float b, float* dst, int count)
    {
        int j = 0;
        for (; j + 8 <= count; j += 8)
        {
            Vector256.FusedMultiplyAdd(Vector256.Load(x + j), Vector256.Create(a), Vector256.Load(y + j) * b).Store(dst + j);
        }

        for (; j < count; j++) dst[j] = float.FusedMultiplyAdd(x[j], a, y[j] * b);
    }

    /// <summary>dst[j] += x[j] a + y[j] b for j &lt; count.</summary>
    public static void AddCombination(float* x, float a, float* y, float b, float* dst, int count)
    {
        int j = 0;
        for (; j + 8 <= count; j += 8)
        {
            Vector256<float> sum = Vector256.FusedMultiplyAdd(Vector256.Load(y + j), Vector256.Create(b), Vector256.Load(dst + j));
            Vector256.FusedMultiplyAdd(Vector256.Load(x + j), Vector256.Create(a), sum).Store(dst + j);
        }

        for (; j < count; j++) dst[j] = float.FusedMultiplyAdd(x[j], a, float.FusedMultiplyAdd(y[j], b, dst[j]));
    }

    /// <summary>dst[j] = x[j] a for j &lt; count.</summary>
    public static void Scale(float* x, float a, float* dst, int count)
    {
        int j = 0;
        for (; j + 8 <= count; j += 8) (Vector256.Load(x + j) * a).Store(dst + j);
        for (; j < count; j++) dst[j] = x[j] * a;
    }

    private static double Lanes(Vector256<float> v)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(v);
        return Vector256.Sum(lo + hi);
    }
}
