// Row passes for the DINO loss over long rows (out_dim up to 65536): max, exp with a
// double-accumulated sum, and the fused cross-entropy + gradient pass. Sums over 10^4+
// terms accumulate in double so that the loss and probabilities keep float accuracy.
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static unsafe class SoftmaxMath
{
    public static float Max(float* x, int n)
    {
        float max = float.NegativeInfinity;
        int j = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> m = Vector512.Load(x);
            for (j = 16; j + 16 <= n; j += 16) m = Vector512.Max(m, Vector512.Load(x + j));
            for (int lane = 0; lane < 16; lane++) max = MathF.Max(max, m.GetElement(lane));
        }

        for (; j < n; j++) max = MathF.Max(max, x[j]);
        return max;
    }

    /// <summary>x[j] = exp(x[j] - max); returns the sum, accumulated in double.</summary>
    public static double ExpInPlace(float* x, int n, float max)
    {
        double sum = 0;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> s = default;
            for (; j + 16 <= n; j += 16)
            {
                Vector512<float> e = SimdMath.Exp(Vector512.Load(x + j) - Vector512.Create(max));
                e.Store(x + j);
                (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(e);
                s += lo + hi;
            }

            sum = Vector512.Sum(s);
        }

        Vector256<double> s256 = default;
        for (; j + 8 <= n; j += 8)
        {
            Vector256<float> e = SimdMath.Exp(Vector256.Load(x + j) - Vector256.Create(max));
            e.Store(x + j);
            (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(e);
            s256 += lo + hi;
        }

        sum += Vector256.Sum(s256);
        for (; j < n; j++)
        {
            x[j] = SimdMath.Exp(x[j] - max);
            sum += x[j];
        }

        return sum;
    }

    /// <summary>
    /// With d holding exp(x - max), x = s inv rounded to float as the exp pass computed it, and
    /// q = d / sum: returns the summed cross-entropy -sum_k p_i[k] log q[k] =
    /// sum_k p_i[k] (max - x[k] + log sum) over the non-null teacher rows p0, p1, and writes
    /// d[k] = (pairs q[k] - p0[k] - p1[k]) gradScale.
    /// </summary>
    public static double CrossEntropyAndGradient(float* s, float inv, float max, double sum, float* p0, float* p1,
        float pairs, float gradScale, float* d, int n)
    {
        // max - x and its products with p are exact in double; only the sums round.
        Vector256<double> pg0 = default, pg1 = default, pp0 = default, pp1 = default;
        double tailPg = 0, tailP = 0;
        float qScale = (float)(pairs / sum);
        Vector256<double> maxV = Vector256.Create((double)max);
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            (Vector256<double> xLo, Vector256<double> xHi) = Vector256.Widen(Vector256.Load(s + j) * inv);
            Vector256<double> gapLo = maxV - xLo, gapHi = maxV - xHi;
            Vector256<float> target = default;
            if (p0 != null)
            {
                Vector256<float> pv = Vector256.Load(p0 + j);
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(pv);
                pg0 += lo * gapLo + hi * gapHi;
                pp0 += lo + hi;
                target = pv;
            }

            if (p1 != null)
            {
                Vector256<float> pv = Vector256.Load(p1 + j);
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(pv);
                pg1 += lo * gapLo + hi * gapHi;
                pp1 += lo + hi;
                target += pv;
            }

            ((Vector256.Load(d + j) * qScale - target) * gradScale).Store(d + j);
        }

        for (; j < n; j++)
        {
            double gap = (double)max - s[j] * inv;
            float target = 0;
            if (p0 != null)
            {
                tailPg += p0[j] * gap;
                tailP += p0[j];
                target = p0[j];
            }

            if (p1 != null)
            {
                tailPg += p1[j] * gap;
                tailP += p1[j];
                target += p1[j];
            }

            d[j] = (d[j] * qScale - target) * gradScale;
        }

        double sumPg = Vector256.Sum(pg0) + Vector256.Sum(pg1) + tailPg;
        double sumP = Vector256.Sum(pp0) + Vector256.Sum(pp1) + tailP;
        return sumPg + sumP * Math.Log(sum);
    }

    /// <summary>sums[j] = sum over i &lt; rows of src[i stride + j], j &lt; width &lt;= 64, in double.</summary>
    public static void ColumnSumsDouble(float* src, long stride, int rows, int width, double* sums)
    {
        for (int j = 0; j < width; j++) sums[j] = 0;
        for (int i = 0; i < rows; i++)
        {
            float* row = src + i * stride;
            int j = 0;
            for (; j + 8 <= width; j += 8)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.Load(row + j));
                (Vector256.Load(sums + j) + lo).Store(sums + j);
                (Vector256.Load(sums + j + 4) + hi).Store(sums + j + 4);
            }

            for (; j < width; j++) sums[j] += row[j];
        }
    }
}
