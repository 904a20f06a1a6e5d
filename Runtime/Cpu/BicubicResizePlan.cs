// Resizes the patch part of the position embedding for crops of another size, exactly as
// PyTorch F.interpolate(mode='bicubic', align_corners=False, scale_factor=s), which the
// reference DINO calls with s = (g + 0.1) / G. Per axis, output o reads source
// real = (o + 0.5) / s - 0.5 through taps floor(real) - 1 .. floor(real) + 2 (clamped to
// the grid) with Keys' cubic convolution weights, A = -0.75. Indices and weights are
// computed once, in double, at construction.
//
// The grid is channels-last ([G*G, dim]) so that every tap is a contiguous row. Backward
// is the exact transpose, computed as a gather over the source pixels (each source row
// sums its own contributions in a fixed order), so it is deterministic.
using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Precomputed bicubic resize of a square channels-last grid.</summary>
public sealed unsafe class BicubicResizePlan
{
    private const double A = -0.75;

    // Forward: output o reads taps[4o + t] with weights[4o + t].
    private readonly int[] taps;
    private readonly float[] weights;

    // Backward: source s receives from outputs transposeOutputs[k], k in
    // [transposeStart[s], transposeStart[s + 1]), with weight transposeWeights[k].
    private readonly int[] transposeStart;
    private readonly int[] transposeOutputs;
    private readonly float[] transposeWeights;

    private struct Job
    {
        public float* Src, Dst, Weights, TransposeWeights;
        public int* Taps, TransposeStart, TransposeOutputs;
        public int InSize, OutSize, Dim;
    }

    /// <summary>Plans a resize of an <paramref name="inSize"/>^2 grid to <paramref name="outSize"/>^2 with scale factor <paramref name="scale"/>.</summary>
    public BicubicResizePlan(int inSize, int outSize, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outSize, 1);
        if (!(scale > 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be positive and finite.");
        InSize = inSize;
        OutSize = outSize;
        Scale = scale;

        taps = new int[outSize * 4];
        var exact = new double[outSize * 4];
        for (int o = 0; o < outSize; o++)
        {
            if (inSize == outSize)
            {
                // Same size: PyTorch's kernel copies, and DINO skips the resize altogether.
                taps[4 * o] = taps[4 * o + 1] = taps[4 * o + 2] = taps[4 * o + 3] = o;
                exact[4 * o + 1] = 1;
                continue;
            }

            double real = (o + 0.5) / scale - 0.5;
            double floor = Math.Floor(real);
            double t = real - floor;
            exact[4 * o] = Outer(t + 1);
            exact[4 * o + 1] = Inner(t);
            exact[4 * o + 2] = Inner(1 - t);
            exact[4 * o + 3] = Outer(2 - t);
            for (int k = 0; k < 4; k++) taps[4 * o + k] = (int)Math.Clamp(floor - 1 + k, 0, inSize - 1);
        }

        weights = Array.ConvertAll(exact, w => (float)w);

        // Transpose, merging taps that clamping sent to the same source pixel.
        transposeStart = new int[inSize + 1];
        var outputs = new List<int>();
        var transposed = new List<float>();
        for (int s = 0; s < inSize; s++)
        {
            transposeStart[s] = outputs.Count;
            for (int o = 0; o < outSize; o++)
            {
                double w = 0;
                bool any = false;
                for (int k = 0; k < 4; k++)
                {
                    if (taps[4 * o + k] != s) continue;
                    w += exact[4 * o + k];
                    any = true;
                }

                if (!any) continue;
                outputs.Add(o);
                transposed.Add((float)w);
            }
        }

        transposeStart[inSize] = outputs.Count;
        transposeOutputs = outputs.ToArray();
        transposeWeights = transposed.ToArray();
    }

    /// <summary>Source grid side G.</summary>
    public int InSize { get; }

    /// <summary>Output grid side g.</summary>
    public int OutSize { get; }

    /// <summary>The scale factor the source coordinates use.</summary>
    public double Scale { get; }

    /// <summary>dst [g*g, dim] = resize(src [G*G, dim]) (overwritten).</summary>
    public void Forward(float* src, float* dst, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
        fixed (int* pTaps = taps)
        fixed (float* pWeights = weights)
        {
            var job = new Job { Src = src, Dst = dst, Taps = pTaps, Weights = pWeights, InSize = InSize, OutSize = OutSize, Dim = dim };
            CpuParallel.For(OutSize, &ForwardRow, &job);
        }
    }

    /// <summary>dSrc [G*G, dim] += the transpose of the resize applied to dDst [g*g, dim].</summary>
    public void Backward(float* dDst, float* dSrc, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
        fixed (int* pStart = transposeStart)
        fixed (int* pOutputs = transposeOutputs)
        fixed (float* pWeights = transposeWeights)
        {
            var job = new Job
            {
                Src = dDst, Dst = dSrc, TransposeStart = pStart, TransposeOutputs = pOutputs, TransposeWeights = pWeights,
                InSize = InSize, OutSize = OutSize, Dim = dim,
            };
            CpuParallel.For(InSize, &BackwardRow, &job);
        }
    }

    /// <summary>Span form of <see cref="Forward(float*, float*, int)"/>.</summary>
    public void Forward(ReadOnlySpan<float> src, Span<float> dst, int dim)
    {
        SpanChecks.Length(src.Length, (long)InSize * InSize * dim, nameof(src));
        SpanChecks.Length(dst.Length, (long)OutSize * OutSize * dim, nameof(dst));
        fixed (float* ps = src)
        fixed (float* pd = dst)
        {
            Forward(ps, pd, dim);
        }
    }

    /// <summary>Span form of <see cref="Backward(float*, float*, int)"/>.</summary>
    public void Backward(ReadOnlySpan<float> dDst, Span<float> dSrc, int dim)
    {
        SpanChecks.Length(dDst.Length, (long)OutSize * OutSize * dim, nameof(dDst));
        SpanChecks.Length(dSrc.Length, (long)InSize * InSize * dim, nameof(dSrc));
        fixed (float* pd = dDst)
        fixed (float* ps = dSrc)
        {
            Backward(pd, ps, dim);
        }
    }

    // Keys' cubic convolution: |x| <= 1 and 1 < |x| < 2.
    private static double Inner(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;

    private static double Outer(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

    private static void ForwardRow(int oy, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim, inSize = job->InSize, outSize = job->OutSize;
        int* ty = job->Taps + 4 * oy;
        float* wy = job->Weights + 4 * oy;
        for (int ox = 0; ox < outSize; ox++)
        {
            int* tx = job->Taps + 4 * ox;
            float* wx = job->Weights + 4 * ox;
            float* dst = job->Dst + ((long)oy * outSize + ox) * dim;
            int j = 0;
            for (; j + 8 <= dim; j += 8)
            {
                // Along x within each of the four source rows, then along y (PyTorch's order).
                Vector256<float> acc = default;
                for (int a = 0; a < 4; a++)
                {
                    float* row = job->Src + (long)ty[a] * inSize * dim + j;
                    Vector256<float> r = Vector256.Load(row + (long)tx[0] * dim) * wx[0];
                    r = Vector256.FusedMultiplyAdd(Vector256.Load(row + (long)tx[1] * dim), Vector256.Create(wx[1]), r);
                    r = Vector256.FusedMultiplyAdd(Vector256.Load(row + (long)tx[2] * dim), Vector256.Create(wx[2]), r);
                    r = Vector256.FusedMultiplyAdd(Vector256.Load(row + (long)tx[3] * dim), Vector256.Create(wx[3]), r);
                    acc = Vector256.FusedMultiplyAdd(r, Vector256.Create(wy[a]), acc);
                }

                acc.Store(dst + j);
            }

            for (; j < dim; j++)
            {
                float acc = 0;
                for (int a = 0; a < 4; a++)
                {
                    float* row = job->Src + (long)ty[a] * inSize * dim + j;
                    float r = 0;
                    for (int b = 0; b < 4; b++) r += wx[b] * row[(long)tx[b] * dim];
                    acc += wy[a] * r;
                }

                dst[j] = acc;
            }
        }
    }

    private static void BackwardRow(int sy, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim, inSize = job->InSize, outSize = job->OutSize;
        int* start = job->TransposeStart;
        for (int sx = 0; sx < inSize; sx++)
        {
            float* dst = job->Dst + ((long)sy * inSize + sx) * dim;
            int j = 0;
            for (; j + 8 <= dim; j += 8)
            {
                Vector256<float> acc = default;
                for (int ky = start[sy]; ky < start[sy + 1]; ky++)
                {
                    float* row = job->Src + (long)job->TransposeOutputs[ky] * outSize * dim + j;
                    Vector256<float> r = default;
                    for (int kx = start[sx]; kx < start[sx + 1]; kx++)
                    {
                        r = Vector256.FusedMultiplyAdd(Vector256.Load(row + (long)job->TransposeOutputs[kx] * dim), Vector256.Create(job->TransposeWeights[kx]), r);
                    }

                    acc = Vector256.FusedMultiplyAdd(r, Vector256.Create(job->TransposeWeights[ky]), acc);
                }

                (Vector256.Load(dst + j) + acc).Store(dst + j);
            }

            for (; j < dim; j++)
            {
                float acc = 0;
                for (int ky = start[sy]; ky < start[sy + 1]; ky++)
                {
                    float* row = job->Src + (long)job->TransposeOutputs[ky] * outSize * dim + j;
                    float r = 0;
                    for (int kx = start[sx]; kx < start[sx + 1]; kx++) r += job->TransposeWeights[kx] * row[(long)job->TransposeOutputs[kx] * dim];
                    acc += job->TransposeWeights[ky] * r;
                }

                dst[j] += acc;
            }
        }
    }
}
