// The DINO head's L2 normalisation, as torch.nn.functional.normalize(x, dim=-1):
// y = x / max(||x||, 1e-12). The norms are saved for the backward.
using System;

namespace DinoCompiled.Cpu;

/// <summary>Row-wise L2 normalisation.</summary>
public static unsafe class Normalize
{
    private const float Epsilon = 1e-12f;
    private const int ChunkRows = 32;

    private struct Job
    {
        public float* X, Y, Dy, Dx, Norms;
        public int Rows, Dim;
    }

    /// <summary>y[r] = x[r] / max(||x[r]||, 1e-12); norms[r] = ||x[r]||.</summary>
    public static void L2Forward(float* x, float* y, float* norms, int rows, int dim)
    {
        Check(rows, dim);
        var job = new Job { X = x, Y = y, Norms = norms, Rows = rows, Dim = dim };
        CpuParallel.For((rows + ChunkRows - 1) / ChunkRows, &ForwardChunk, &job);
    }

    /// <summary>dx (overwritten) = the gradient of L2Forward given dy.</summary>
    public static void L2Backward(float* dy, float* x, float* norms, float* dx, int rows, int dim)
    {
        Check(rows, dim);
        var job = new Job { Dy = dy, X = x, Norms = norms, Dx = dx, Rows = rows, Dim = dim };
        CpuParallel.For((rows + ChunkRows - 1) / ChunkRows, &BackwardChunk, &job);
    }

    /// <summary>Span form of <see cref="L2Forward(float*, float*, float*, int, int)"/>.</summary>
    public static void L2Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> norms, int rows, int dim)
    {
        Check(rows, dim);
        SpanChecks.Length(x.Length, (long)rows * dim, nameof(x));
        SpanChecks.Length(y.Length, (long)rows * dim, nameof(y));
        SpanChecks.Length(norms.Length, rows, nameof(norms));
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pn = norms)
        {
            L2Forward(px, py, pn, rows, dim);
        }
    }

    /// <summary>Span form of <see cref="L2Backward(float*, float*, float*, float*, int, int)"/>.</summary>
    public static void L2Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> norms, Span<float> dx, int rows, int dim)
    {
        Check(rows, dim);
        SpanChecks.Length(dy.Length, (long)rows * dim, nameof(dy));
        SpanChecks.Length(x.Length, (long)rows * dim, nameof(x));
        SpanChecks.Length(norms.Length, rows, nameof(norms));
        SpanChecks.Length(dx.Length, (long)rows * dim, nameof(dx));
        fixed (float* pdy = dy)
        fixed (float* px = x)
        fixed (float* pn = norms)
        fixed (float* pdx = dx)
        {
            L2Backward(pdy, px, pn, pdx, rows, dim);
        }
    }

    private static void Check(int rows, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
    }

    private static void ForwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim;
        int last = Math.Min((chunk + 1) * ChunkRows, job->Rows);
        for (int r = chunk * ChunkRows; r < last; r++)
        {
            float* x = job->X + (long)r * dim;
            double norm = Math.Sqrt(RowMath.Dot(x, x, dim));
            job->Norms[r] = (float)norm;
            RowMath.Scale(x, (float)(1 / Math.Max(norm, Epsilon)), job->Y + (long)r * dim, dim);
        }
    }

    private static void BackwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim;
        int last = Math.Min((chunk + 1) * ChunkRows, job->Rows);
        for (int r = chunk * ChunkRows; r < last; r++)
        {
            float* x = job->X + (long)r * dim;
            float* dy = job->Dy + (long)r * dim;
            float* dx = job->Dx + (long)r * dim;
            double norm = job->Norms[r];
            if (norm > Epsilon)
            {
                // d(x/n) = dy/n - x (x . dy) / n^3.
                double dot = RowMath.Dot(x, dy, dim);
                RowMath.Combine(dy, (float)(1 / norm), x, (float)(-dot / (norm * norm * norm)), dx, dim);
            }
            else
            {
                // Below the clamp the denominator is the constant 1e-12.
                RowMath.Scale(dy, 1 / Epsilon, dx, dim);
            }
        }
    }
}
