using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>
/// The attention core, softmax(Q·Kᵀ·dh^-½)·V, for all heads, one (image, head) pair per work item. qkv rows are
/// [Q | K | V] with head h in columns h·dh..(h+1)·dh of each; the probabilities are kept for the backward.
/// Each item first copies its Kᵀ and Vᵀ panels (dh × T) into per-thread scratch, so every score row is a sum of
/// broadcast-times-vector FMAs over contiguous memory instead of T horizontal dot products. Every output element is
/// computed by one item in a fixed order, so results do not depend on threads.
/// </summary>
public static unsafe class Attention
{
    /// <summary>output[b·T + i, h·dh..] = Σ_j P[b, h, i, j] v_j; probs = P.</summary>
    public static void Forward(float* qkv, float* output, float* probs, int batch, int tokens, int heads, int headDim)
    {
        var body = new ForwardBody { Qkv = qkv, Output = output, Probs = probs, Tokens = tokens, Heads = heads, HeadDim = headDim };
        CpuParallel.For(batch * heads, ref body);
    }

    /// <summary>Writes dQkv (all three parts) from dOutput and the saved probabilities.</summary>
    public static void Backward(float* dOutput, float* qkv, float* probs, float* dQkv, int batch, int tokens, int heads, int headDim)
    {
        var body = new BackwardBody { DOutput = dOutput, Qkv = qkv, Probs = probs, DQkv = dQkv, Tokens = tokens, Heads = heads, HeadDim = headDim };
        CpuParallel.For(batch * heads, ref body);
    }

    /// <summary>Row length of a transposed panel, padded to whole vectors so the FMA loops need no tail.</summary>
    private static int Padded(int tokens) => (tokens + 7) & ~7;

    private struct ForwardBody : IParallelBody
    {
        public float* Qkv, Output, Probs;
        public int Tokens, Heads, HeadDim;

        public void Invoke(int item)
        {
            int b = item / Heads, h = item % Heads, t = Tokens, dh = HeadDim, d = Heads * HeadDim, stride = 3 * d, tp = Padded(t);
            float scale = 1f / MathF.Sqrt(dh);
            float* rows = Qkv + (long)b * t * stride;
            float* kT = (float*)CpuScratch.ForThread(ScratchSlot.AttentionWork, ((long)dh * tp + tp) * sizeof(float));
            float* scores = kT + (long)dh * tp;
            Transpose(rows + d + h * dh, stride, t, dh, kT, tp);
            for (int i = 0; i < t; i++)
            {
                float* q = rows + (long)i * stride + h * dh;
                float* p = Probs + (((long)b * Heads + h) * t + i) * t;
                RowTimesPanel(q, scale, kT, dh, tp, scores);
                Softmax(scores, p, t);
                CombineRows(p, 1, t, rows + 2 * d + h * dh, stride, Output + ((long)b * t + i) * d + h * dh, dh);
            }
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* DOutput, Qkv, Probs, DQkv;
        public int Tokens, Heads, HeadDim;

        public void Invoke(int item)
        {
            int b = item / Heads, h = item % Heads, t = Tokens, dh = HeadDim, d = Heads * HeadDim, stride = 3 * d, tp = Padded(t);
            float scale = 1f / MathF.Sqrt(dh);
            float* rows = Qkv + (long)b * t * stride;
            float* dRows = DQkv + (long)b * t * stride;
            float* vT = (float*)CpuScratch.ForThread(ScratchSlot.AttentionWork, ((long)dh * tp + (long)t * tp) * sizeof(float));
            float* dS = vT + (long)dh * tp;
            Transpose(rows + 2 * d + h * dh, stride, t, dh, vT, tp);
            // dS = P ⊙ (dP − rowsum(P ⊙ dP)) · scale, row by row, with dP_i = dO_i · Vᵀ; kept whole for dK.
            for (int i = 0; i < t; i++)
            {
                float* dO = DOutput + ((long)b * t + i) * d + h * dh;
                float* p = Probs + (((long)b * Heads + h) * t + i) * t;
                float* row = dS + (long)i * tp;
                RowTimesPanel(dO, 1f, vT, dh, tp, row);
                float rowSum = 0;
                for (int j = 0; j < t; j++) rowSum += p[j] * row[j];
                for (int j = 0; j < t; j++) row[j] = p[j] * (row[j] - rowSum) * scale;
                // dQ_i = Σ_j dS_ij k_j
                CombineRows(row, 1, t, rows + d + h * dh, stride, dRows + (long)i * stride + h * dh, dh);
            }
            float* probs = Probs + ((long)b * Heads + h) * t * t;
            for (int j = 0; j < t; j++)
            {
                // dK_j = Σ_i dS_ij q_i;  dV_j = Σ_i P_ij dO_i
                CombineRows(dS + j, tp, t, rows + h * dh, stride, dRows + (long)j * stride + d + h * dh, dh);
                CombineRows(probs + j, t, t, DOutput + (long)b * t * d + h * dh, d, dRows + (long)j * stride + 2 * d + h * dh, dh);
            }
        }
    }

    /// <summary>dst[c, j] = src[j·stride + c] for j &lt; rows, c &lt; cols; the padding of each row is zeroed.</summary>
    private static void Transpose(float* src, int stride, int rows, int cols, float* dst, int paddedRows)
    {
        for (int c = 0; c < cols; c++)
        {
            float* d = dst + (long)c * paddedRows;
            for (int j = 0; j < rows; j++) d[j] = src[(long)j * stride + c];
            for (int j = rows; j < paddedRows; j++) d[j] = 0;
        }
    }

    /// <summary>p = softmax(scores[0..n)).</summary>
    private static void Softmax(float* scores, float* p, int n)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < n; j++) max = MathF.Max(max, scores[j]);
        var vmax = Vector256.Create(max);
        var acc = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= n; k += 8)
        {
            var e = SimdMath.Exp(Vector256.Load(scores + k) - vmax);
            e.Store(p + k);
            acc += e;
        }
        float sum = Vector256.Sum(acc);
        for (; k < n; k++)
        {
            p[k] = SimdMath.Exp(scores[k] - max);
            sum += p[k];
        }
        var inverse = Vector256.Create(1f / sum);
        k = 0;
        for (; k + 8 <= n; k += 8) (Vector256.Load(p + k) * inverse).Store(p + k);
        for (; k < n; k++) p[k] *= 1f / sum;
    }

    /// <summary>out[0..tp) = scale · Σ_c x[c] · panel[c, 0..tp): a row times a transposed panel, 32 columns at a time in registers.</summary>
    private static void RowTimesPanel(float* x, float scale, float* panel, int depth, int tp, float* result)
    {
        int j = 0;
        for (; j + 32 <= tp; j += 32)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int c = 0; c < depth; c++)
            {
                var xc = Vector256.Create(x[c]);
                float* r = panel + (long)c * tp + j;
                a0 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(r), a0);
                a1 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(r + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(r + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(r + 24), a3);
            }
            var vs = Vector256.Create(scale);
            (a0 * vs).Store(result + j);
            (a1 * vs).Store(result + j + 8);
            (a2 * vs).Store(result + j + 16);
            (a3 * vs).Store(result + j + 24);
        }
        for (; j < tp; j += 8)
        {
            Vector256<float> a = default;
            for (int c = 0; c < depth; c++) a = Vector256.FusedMultiplyAdd(Vector256.Create(x[c]), Vector256.Load(panel + (long)c * tp + j), a);
            (a * Vector256.Create(scale)).Store(result + j);
        }
    }

    /// <summary>
    /// dst[0..n) = Σ_m coefficients[m·coefficientStride] · rows[m·rowStride + 0..n): a weighted sum of rows, 32 columns at
    /// a time in registers (n is the head width, a multiple of 8 in every zoo model; a scalar tail covers the rest).
    /// </summary>
    private static void CombineRows(float* coefficients, int coefficientStride, int count, float* rows, long rowStride, float* dst, int n)
    {
        int c = 0;
        for (; c + 32 <= n; c += 32)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int m = 0; m < count; m++)
            {
                var w = Vector256.Create(coefficients[(long)m * coefficientStride]);
                float* r = rows + m * rowStride + c;
                a0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(r), a0);
                a1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(r + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(r + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(r + 24), a3);
            }
            a0.Store(dst + c);
            a1.Store(dst + c + 8);
            a2.Store(dst + c + 16);
            a3.Store(dst + c + 24);
        }
        for (; c + 8 <= n; c += 8)
        {
            Vector256<float> a = default;
            for (int m = 0; m < count; m++) a = Vector256.FusedMultiplyAdd(Vector256.Create(coefficients[(long)m * coefficientStride]), Vector256.Load(rows + m * rowStride + c), a);
            a.Store(dst + c);
        }
        for (; c < n; c++)
        {
            float a = 0;
            for (int m = 0; m < count; m++) a = MathF.FusedMultiplyAdd(coefficients[(long)m * coefficientStride], rows[m * rowStride + c], a);
            dst[c] = a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clear(float* x, int n) => new Span<float>(x, n).Clear();

    /// <summary>y += a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(float a, float* x, float* y, int n)
    {
        var va = Vector256.Create(a);
        int c = 0;
        for (; c + 8 <= n; c += 8) Vector256.FusedMultiplyAdd(va, Vector256.Load(x + c), Vector256.Load(y + c)).Store(y + c);
        for (; c < n; c++) y[c] = MathF.FusedMultiplyAdd(a, x[c], y[c]);
    }
}
