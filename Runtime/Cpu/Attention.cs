using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>
/// The attention core, softmax(Q·Kᵀ·dh^-½)·V, for all heads, one (image, head) pair per work item. qkv rows are
/// [Q | K | V] with head h in columns h·dh..(h+1)·dh of each; the probabilities are kept for the backward.
/// Every output element is computed by one item in a fixed order, so results do not depend on threads.
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

    private struct ForwardBody : IParallelBody
    {
        public float* Qkv, Output, Probs;
        public int Tokens, Heads, HeadDim;

        public void Invoke(int item)
        {
            int b = item / Heads, h = item % Heads, t = Tokens, dh = HeadDim, d = Heads * HeadDim, stride = 3 * d;
            float scale = 1f / MathF.Sqrt(dh);
            float* rows = Qkv + (long)b * t * stride;
            for (int i = 0; i < t; i++)
            {
                float* q = rows + (long)i * stride + h * dh;
                float* p = Probs + (((long)b * Heads + h) * t + i) * t;
                float max = float.NegativeInfinity;
                for (int j = 0; j < t; j++)
                {
                    float s = Dot(q, rows + (long)j * stride + d + h * dh, dh) * scale;
                    p[j] = s;
                    if (s > max) max = s;
                }
                float sum = ExpShifted(p, t, max);
                float inverse = 1f / sum;
                for (int j = 0; j < t; j++) p[j] *= inverse;

                float* o = Output + ((long)b * t + i) * d + h * dh;
                for (int c = 0; c < dh; c++) o[c] = 0;
                for (int j = 0; j < t; j++) Axpy(p[j], rows + (long)j * stride + 2 * d + h * dh, o, dh);
            }
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* DOutput, Qkv, Probs, DQkv;
        public int Tokens, Heads, HeadDim;

        public void Invoke(int item)
        {
            int b = item / Heads, h = item % Heads, t = Tokens, dh = HeadDim, d = Heads * HeadDim, stride = 3 * d;
            float scale = 1f / MathF.Sqrt(dh);
            float* rows = Qkv + (long)b * t * stride;
            float* dRows = DQkv + (long)b * t * stride;
            for (int j = 0; j < t; j++)
            {
                float* dk = dRows + (long)j * stride + d + h * dh, dv = dRows + (long)j * stride + 2 * d + h * dh;
                for (int c = 0; c < dh; c++) { dk[c] = 0; dv[c] = 0; }
            }
            float* dS = stackalloc float[t];
            for (int i = 0; i < t; i++)
            {
                float* dO = DOutput + ((long)b * t + i) * d + h * dh;
                float* p = Probs + (((long)b * Heads + h) * t + i) * t;
                float* q = rows + (long)i * stride + h * dh;
                float rowSum = 0;
                for (int j = 0; j < t; j++)
                {
                    float dP = Dot(dO, rows + (long)j * stride + 2 * d + h * dh, dh);
                    dS[j] = dP;
                    rowSum += p[j] * dP;
                }
                float* dq = dRows + (long)i * stride + h * dh;
                for (int c = 0; c < dh; c++) dq[c] = 0;
                for (int j = 0; j < t; j++)
                {
                    float ds = p[j] * (dS[j] - rowSum) * scale;
                    Axpy(ds, rows + (long)j * stride + d + h * dh, dq, dh);            // dQ_i += dS_ij k_j
                    Axpy(ds, q, dRows + (long)j * stride + d + h * dh, dh);             // dK_j += dS_ij q_i
                    Axpy(p[j], dO, dRows + (long)j * stride + 2 * d + h * dh, dh);      // dV_j += P_ij dO_i
                }
            }
        }
    }

    /// <summary>p[j] = exp(p[j] − max); returns the sum.</summary>
    private static float ExpShifted(float* p, int n, float max)
    {
        int j = 0;
        float sum = 0;
        var vmax = Vector256.Create(max);
        var acc = Vector256<float>.Zero;
        for (; j + 8 <= n; j += 8)
        {
            var e = SimdMath.Exp(Vector256.Load(p + j) - vmax);
            e.Store(p + j);
            acc += e;
        }
        sum = Vector256.Sum(acc);
        for (; j < n; j++)
        {
            p[j] = MathF.Exp(p[j] - max);
            sum += p[j];
        }
        return sum;
    }

    private static float Dot(float* a, float* b, int n)
    {
        var acc = Vector<float>.Zero;
        int c = 0;
        for (; c + Vector<float>.Count <= n; c += Vector<float>.Count) acc += *(Vector<float>*)(a + c) * *(Vector<float>*)(b + c);
        float sum = Vector.Sum(acc);
        for (; c < n; c++) sum += a[c] * b[c];
        return sum;
    }

    /// <summary>y += a·x.</summary>
    private static void Axpy(float a, float* x, float* y, int n)
    {
        var va = new Vector<float>(a);
        int c = 0;
        for (; c + Vector<float>.Count <= n; c += Vector<float>.Count) *(Vector<float>*)(y + c) += va * *(Vector<float>*)(x + c);
        for (; c < n; c++) y[c] += a * x[c];
    }
}
