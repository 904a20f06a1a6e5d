// Sums of many rows into one, accumulated in double: bias and LayerNorm gradients and the
// position-embedding gradient add up thousands of rows, where float accumulation would
// lose digits, and a fixed row order keeps the result deterministic.
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static unsafe class ColumnSummer
{
    /// <summary>dst[j] (+)= sum over i &lt; count of src[i * stride + j], for j in [0, width).</summary>
    public static void Sum(float* src, long stride, int count, int width, float* dst, bool accumulate)
    {
        int j = 0;
        for (; j + 16 <= width; j += 16)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            float* p = src + j;
            for (int i = 0; i < count; i++, p += stride)
            {
                (Vector256<double> lo0, Vector256<double> hi0) = Vector256.Widen(Vector256.Load(p));
                (Vector256<double> lo1, Vector256<double> hi1) = Vector256.Widen(Vector256.Load(p + 8));
                s0 += lo0;
                s1 += hi0;
                s2 += lo1;
                s3 += hi1;
            }

            Store(dst + j, s0, accumulate);
            Store(dst + j + 4, s1, accumulate);
            Store(dst + j + 8, s2, accumulate);
            Store(dst + j + 12, s3, accumulate);
        }

        for (; j + 8 <= width; j += 8)
        {
            Vector256<double> s0 = default, s1 = default;
            float* p = src + j;
            for (int i = 0; i < count; i++, p += stride)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.Load(p));
                s0 += lo;
                s1 += hi;
            }

            Store(dst + j, s0, accumulate);
            Store(dst + j + 4, s1, accumulate);
        }

        for (; j < width; j++)
        {
            double s = 0;
            float* p = src + j;
            for (int i = 0; i < count; i++, p += stride) s += *p;
            dst[j] = accumulate ? (float)(dst[j] + s) : (float)s;
        }
    }

    private static void Store(float* dst, Vector256<double> sums, bool accumulate)
    {
        if (accumulate)
        {
            (Vector256<double> old, _) = Vector256.Widen(Vector128.Load(dst).ToVector256Unsafe());
            sums += old;
        }

        Vector128.Store(Vector128.Narrow(sums.GetLower(), sums.GetUpper()), dst);
    }
}
