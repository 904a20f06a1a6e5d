// Multi-head self-attention core: softmax(Q K^T / sqrt(dh)) V per (image, head), and its
// backward. qkv rows are [Q | K | V], head h owning columns h dh .. (h + 1) dh of each.
// One parallel item per (image, head), so each output element is computed by one thread
// in a fixed order. Token counts are small (10..785), so the products are register-tiled
// loops (SmallGemm512/256) over per-thread packed operands rather than the big GEMM.
//
// Backward, with P the saved probabilities and scale = dh^-0.5:
//   dV = P^T dO,  dP = dO V^T,  dS = P * (dP - rowsum(P * dP)),
//   dQ = scale dS K,  dK = scale dS^T Q
// (the transposed products read P and dS in place through a strided A operand).
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Scaled dot-product attention over packed qkv rows.</summary>
public static unsafe class Attention
{
    private struct Job
    {
        public float* Qkv, Output, Probs, DOutput, DQkv;
        public int Batch, Tokens, Heads, HeadDim;
    }

    /// <summary>
    /// probs[b, h] = softmax(Q K^T dh^-0.5) [tokens, tokens] (saved for backward);
    /// output[b tokens + t, h dh ..] = probs[b, h] V (overwritten).
    /// </summary>
    public static void Forward(float* qkv, float* output, float* probs, int batch, int tokens, int heads, int headDim)
    {
        Check(batch, tokens, heads, headDim);
        var job = new Job { Qkv = qkv, Output = output, Probs = probs, Batch = batch, Tokens = tokens, Heads = heads, HeadDim = headDim };
        CpuParallel.For(batch * heads, &ForwardHead, &job);
    }

    /// <summary>dQkv (overwritten) = the gradient through Forward, given dOutput and the saved probs.</summary>
    public static void Backward(float* dOutput, float* qkv, float* probs, float* dQkv, int batch, int tokens, int heads, int headDim)
    {
        Check(batch, tokens, heads, headDim);
        var job = new Job { DOutput = dOutput, Qkv = qkv, Probs = probs, DQkv = dQkv, Batch = batch, Tokens = tokens, Heads = heads, HeadDim = headDim };
        CpuParallel.For(batch * heads, &BackwardHead, &job);
    }

    /// <summary>Span form of <see cref="Forward(float*, float*, float*, int, int, int, int)"/>.</summary>
    public static void Forward(ReadOnlySpan<float> qkv, Span<float> output, Span<float> probs, int batch, int tokens, int heads, int headDim)
    {
        Check(batch, tokens, heads, headDim);
        long rows = (long)batch * tokens, dim = (long)heads * headDim;
        SpanChecks.Length(qkv.Length, rows * 3 * dim, nameof(qkv));
        SpanChecks.Length(output.Length, rows * dim, nameof(output));
        SpanChecks.Length(probs.Length, (long)batch * heads * tokens * tokens, nameof(probs));
        fixed (float* pq = qkv)
        fixed (float* po = output)
        fixed (float* pp = probs)
        {
            Forward(pq, po, pp, batch, tokens, heads, headDim);
        }
    }

    /// <summary>Span form of <see cref="Backward(float*, float*, float*, float*, int, int, int, int)"/>.</summary>
    public static void Backward(ReadOnlySpan<float> dOutput, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probs, Span<float> dQkv,
        int batch, int tokens, int heads, int headDim)
    {
        Check(batch, tokens, heads, headDim);
        long rows = (long)batch * tokens, dim = (long)heads * headDim;
        SpanChecks.Length(dOutput.Length, rows * dim, nameof(dOutput));
        SpanChecks.Length(qkv.Length, rows * 3 * dim, nameof(qkv));
        SpanChecks.Length(probs.Length, (long)batch * heads * tokens * tokens, nameof(probs));
        SpanChecks.Length(dQkv.Length, rows * 3 * dim, nameof(dQkv));
        fixed (float* pd = dOutput)
        fixed (float* pq = qkv)
        fixed (float* pp = probs)
        fixed (float* pdq = dQkv)
        {
            Backward(pd, pq, pp, pdq, batch, tokens, heads, headDim);
        }
    }

    private static void Check(int batch, int tokens, int heads, int headDim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headDim, 1);
    }

    private static int Width => Vector512.IsHardwareAccelerated ? SmallGemm512.Width : SmallGemm256.Width;

    private static int Pad(int n) => (n + Width - 1) / Width * Width;

    private static void Multiply(int rows, int inner, float* a, nint lda, nint aStep, float* b, nint ldb, int colsPadded, float* c, nint ldc, float alpha)
    {
        if (Vector512.IsHardwareAccelerated) SmallGemm512.Multiply(rows, inner, a, lda, aStep, b, ldb, colsPadded, c, ldc, alpha);
        else SmallGemm256.Multiply(rows, inner, a, lda, aStep, b, ldb, colsPadded, c, ldc, alpha);
    }

    private static void ForwardHead(int item, void* state)
    {
        var job = (Job*)state;
        int t = job->Tokens, dh = job->HeadDim, b = item / job->Heads, h = item - b * job->Heads;
        int dim = job->Heads * dh, tp = Pad(t), dhp = Pad(dh);
        nint ld = 3 * (nint)dim;
        float* q = job->Qkv + (long)b * t * ld + (long)h * dh;
        float* k = q + dim, v = q + 2 * dim;
        float* output = job->Output + (long)b * t * dim + (long)h * dh;

        float* work = (float*)CpuScratch.ForThread(ScratchSlot.AttentionWork, ((long)dh * tp + (long)t * tp + 2L * t * dhp) * sizeof(float));
        float* kt = work, scores = kt + (long)dh * tp, vp = scores + (long)t * tp, o = vp + (long)t * dhp;

        PackTransposed(k, ld, t, dh, kt, tp);
        Multiply(t, dh, q, ld, 1, kt, tp, tp, scores, tp, 1 / MathF.Sqrt(dh));

        // Probabilities go straight to the saved output, which is also P V's A operand.
        float* probs = job->Probs + (long)item * t * t;
        for (int i = 0; i < t; i++) Softmax(scores + (long)i * tp, probs + (long)i * t, t, tp);

        float* values = Operand(v, ld, t, dh, vp, dhp, out nint ldValues);
        float* target = Target(output, dim, o, dhp, dh, out nint ldTarget);
        Multiply(t, t, probs, t, 1, values, ldValues, dhp, target, ldTarget, 1f);
        if (target == o) UnpackRows(o, dhp, t, dh, output, dim);
    }

    private static void BackwardHead(int item, void* state)
    {
        var job = (Job*)state;
        int t = job->Tokens, dh = job->HeadDim, b = item / job->Heads, h = item - b * job->Heads;
        int dim = job->Heads * dh, tp = Pad(t), dhp = Pad(dh);
        nint ld = 3 * (nint)dim;
        long qOffset = (long)b * t * ld + (long)h * dh;
        float* q = job->Qkv + qOffset;
        float* k = q + dim, v = q + 2 * dim;
        float* dq = job->DQkv + qOffset;
        float* dk = dq + dim, dv = dq + 2 * dim;
        float* dOut = job->DOutput + (long)b * t * dim + (long)h * dh;
        float* p = job->Probs + (long)item * t * t;
        float scale = 1 / MathF.Sqrt(dh);

        float* work = (float*)CpuScratch.ForThread(ScratchSlot.AttentionWork, ((long)dh * tp + (long)t * tp + 4L * t * dhp) * sizeof(float));
        float* vt = work, ds = vt + (long)dh * tp, packed = ds + (long)t * tp, result = packed + (long)t * dhp;
        float* packed2 = result + (long)t * dhp, packed3 = packed2 + (long)t * dhp;
        nint ldOperand, ldTarget;
        float* operand, target;

        // dV = P^T dO: A(j, i) = P[i, j], read transposed in place.
        operand = Operand(dOut, dim, t, dh, packed, dhp, out ldOperand);
        target = Target(dv, ld, result, dhp, dh, out ldTarget);
        Multiply(t, t, p, 1, t, operand, ldOperand, dhp, target, ldTarget, 1f);
        if (target == result) UnpackRows(result, dhp, t, dh, dv, ld);

        // dP = dO V^T, then dS = P * (dP - rowsum(P * dP)), scaled.
        PackTransposed(v, ld, t, dh, vt, tp);
        Multiply(t, dh, dOut, dim, 1, vt, tp, tp, ds, tp, 1f);
        for (int i = 0; i < t; i++) SoftmaxBackwardRow(p + (long)i * t, ds + (long)i * tp, t, scale);

        // dQ = dS K; dK = dS^T Q (A read transposed in place).
        operand = Operand(k, ld, t, dh, packed2, dhp, out ldOperand);
        target = Target(dq, ld, result, dhp, dh, out ldTarget);
        Multiply(t, t, ds, tp, 1, operand, ldOperand, dhp, target, ldTarget, 1f);
        if (target == result) UnpackRows(result, dhp, t, dh, dq, ld);
        operand = Operand(q, ld, t, dh, packed3, dhp, out ldOperand);
        target = Target(dk, ld, result, dhp, dh, out ldTarget);
        Multiply(t, t, ds, 1, tp, operand, ldOperand, dhp, target, ldTarget, 1f);
        if (target == result) UnpackRows(result, dhp, t, dh, dk, ld);
    }

    /// <summary>
    /// A [t, dh] block as a B operand: in place when dh is a whole number of vectors,
    /// else copied into buffer with its columns padded by zeros.
    /// </summary>
    private static float* Operand(float* src, nint ld, int t, int dh, float* buffer, int dhp, out nint ldOut)
    {
        if (dh == dhp)
        {
            ldOut = ld;
            return src;
        }

        PackRows(src, ld, t, dh, buffer, dhp);
        ldOut = dhp;
        return buffer;
    }

    /// <summary>Where a [t, dh] product goes: straight to dst when dh is a whole number of vectors, else to buffer (then unpacked).</summary>
    private static float* Target(float* dst, nint ld, float* buffer, int dhp, int dh, out nint ldOut)
    {
        ldOut = dh == dhp ? ld : dhp;
        return dh == dhp ? dst : buffer;
    }

    /// <summary>dst[d, i] = src[i ld + d] for d &lt; dh, i &lt; t; columns t..tp zeroed.</summary>
    private static void PackTransposed(float* src, nint ld, int t, int dh, float* dst, int tp)
    {
        for (int d = 0; d < dh; d++)
        {
            float* row = dst + (long)d * tp;
            for (int i = 0; i < t; i++) row[i] = src[i * ld + d];
            for (int i = t; i < tp; i++) row[i] = 0f;
        }
    }

    /// <summary>dst[i, 0..dh) = src[i ld ..], columns dh..dhp zeroed.</summary>
    private static void PackRows(float* src, nint ld, int t, int dh, float* dst, int dhp)
    {
        for (int i = 0; i < t; i++)
        {
            float* row = dst + (long)i * dhp;
            Buffer.MemoryCopy(src + i * ld, row, (long)dh * sizeof(float), (long)dh * sizeof(float));
            for (int d = dh; d < dhp; d++) row[d] = 0f;
        }
    }

    private static void UnpackRows(float* src, int ldSrc, int t, int dh, float* dst, nint ld)
    {
        for (int i = 0; i < t; i++) Buffer.MemoryCopy(src + (long)i * ldSrc, dst + i * ld, (long)dh * sizeof(float), (long)dh * sizeof(float));
    }

    /// <summary>
    /// probs = softmax(scores[0..t)); scores (tp = t rounded up to the vector width) is
    /// used as work space. Its padding is set to -inf first, so that whole vectors run over
    /// it without scalar tails (exp gives 0 there).
    /// </summary>
    private static void Softmax(float* scores, float* probs, int t, int tp)
    {
        for (int j = t; j < tp; j++) scores[j] = float.NegativeInfinity;
        float sum;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> m = Vector512.Load(scores);
            for (int j = 16; j < tp; j += 16) m = Vector512.Max(m, Vector512.Load(scores + j));
            Vector512<float> max = Vector512.Create(Vector256.Max(m.GetLower(), m.GetUpper()).MaxAcross());
            Vector512<float> s = default;
            for (int j = 0; j < tp; j += 16)
            {
                Vector512<float> e = SimdMath.Exp(Vector512.Load(scores + j) - max);
                e.Store(scores + j);
                s += e;
            }

            sum = Vector512.Sum(s);
        }
        else
        {
            Vector256<float> m = Vector256.Load(scores);
            for (int j = 8; j < tp; j += 8) m = Vector256.Max(m, Vector256.Load(scores + j));
            Vector256<float> max = Vector256.Create(m.MaxAcross());
            Vector256<float> s = default;
            for (int j = 0; j < tp; j += 8)
            {
                Vector256<float> e = SimdMath.Exp(Vector256.Load(scores + j) - max);
                e.Store(scores + j);
                s += e;
            }

            sum = Vector256.Sum(s);
        }

        RowMath.Scale(scores, 1 / sum, probs, t);
    }

    /// <summary>ds[j] = scale p[j] (ds[j] - sum_k p[k] ds[k]) for j &lt; t, where ds holds dP on entry.</summary>
    private static void SoftmaxBackwardRow(float* p, float* ds, int t, float scale)
    {
        float dot = (float)RowMath.Dot(p, ds, t);
        int j = 0;
        for (; j + 8 <= t; j += 8)
        {
            ((Vector256.Load(ds + j) - Vector256.Create(dot)) * Vector256.Load(p + j) * scale).Store(ds + j);
        }

        for (; j < t; j++) ds[j] = (ds[j] - dot) * p[j] * scale;
    }
}
