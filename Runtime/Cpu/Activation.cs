// Elementwise exact-erf GELU and its backward, for activations that are not fused into a
// GEMM epilogue. Split into fixed 16K-element chunks so that results do not depend on
// the thread count (each element is independent anyway).
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Elementwise activations.</summary>
public static unsafe class Activation
{
    private const int Chunk = 16384;

    private struct Job
    {
        public float* X, Y, Dy;
        public long Count;
    }

    /// <summary>y = 0.5 x (1 + erf(x / sqrt 2)); y may alias x.</summary>
    public static void Gelu(float* x, float* y, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var job = new Job { X = x, Y = y, Count = count };
        CpuParallel.For(ChunkCount(count), &GeluChunk, &job);
    }

    /// <summary>dx = dy gelu'(pre); dx may alias dy.</summary>
    public static void GeluBackward(float* dy, float* pre, float* dx, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var job = new Job { Dy = dy, X = pre, Y = dx, Count = count };
        CpuParallel.For(ChunkCount(count), &GeluBackwardChunk, &job);
    }

    /// <summary>Span form of <see cref="Gelu(float*, float*, long)"/>.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        SpanChecks.Length(y.Length, x.Length, nameof(y));
        fixed (float* px = x)
        fixed (float* py = y)
        {
            Gelu(px, py, x.Length);
        }
    }

    /// <summary>Span form of <see cref="GeluBackward(float*, float*, float*, long)"/>.</summary>
    public static void GeluBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> pre, Span<float> dx)
    {
        SpanChecks.Length(pre.Length, dy.Length, nameof(pre));
        SpanChecks.Length(dx.Length, dy.Length, nameof(dx));
        fixed (float* pdy = dy)
        fixed (float* ppre = pre)
        fixed (float* pdx = dx)
        {
            GeluBackward(pdy, ppre, pdx, dy.Length);
        }
    }

    private static int ChunkCount(long count) => checked((int)((count + Chunk - 1) / Chunk));

    private static void GeluChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        long start = (long)chunk * Chunk;
        long end = Math.Min(start + Chunk, job->Count);
        float* x = job->X, y = job->Y;
        long i = start;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= end; i += 16) SimdMath.Gelu(Vector512.Load(x + i)).Store(y + i);
        }

        for (; i + 8 <= end; i += 8) SimdMath.Gelu(Vector256.Load(x + i)).Store(y + i);
        for (; i < end; i++) y[i] = SimdMath.Gelu(x[i]);
    }

    private static void GeluBackwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        long start = (long)chunk * Chunk;
        long end = Math.Min(start + Chunk, job->Count);
        float* dy = job->Dy, pre = job->X, dx = job->Y;
        long i = start;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= end; i += 16) (Vector512.Load(dy + i) * SimdMath.GeluDerivative(Vector512.Load(pre + i))).Store(dx + i);
        }

        for (; i + 8 <= end; i += 8) (Vector256.Load(dy + i) * SimdMath.GeluDerivative(Vector256.Load(pre + i))).Store(dx + i);
        for (; i < end; i++) dx[i] = dy[i] * SimdMath.GeluDerivative(pre[i]);
    }
}
