// Row moves of the token stream: the class token out of each image (and its gradient
// back), and per-sample row scaling for the drop-path backward.
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Row gathers, scatters and scaling.</summary>
public static unsafe class Rows
{
    private const int ScaleChunkRows = 64;

    private struct Job
    {
        public float* Src, Dst, Scale;
        public int TokensPerImage, Dim, Rows, RowsPerScale;
    }

    /// <summary>cls[b, :] = tokens[b, 0, :].</summary>
    public static void GatherClass(float* tokens, float* cls, int batch, int tokensPerImage, int dim)
    {
        Check(batch, tokensPerImage, dim);
        for (int b = 0; b < batch; b++)
        {
            Buffer.MemoryCopy(tokens + (long)b * tokensPerImage * dim, cls + (long)b * dim, (long)dim * sizeof(float), (long)dim * sizeof(float));
        }
    }

    /// <summary>dTokens[b, 0, :] = dCls[b, :], every other row 0 (overwritten).</summary>
    public static void ScatterClass(float* dCls, float* dTokens, int batch, int tokensPerImage, int dim)
    {
        Check(batch, tokensPerImage, dim);
        var job = new Job { Src = dCls, Dst = dTokens, TokensPerImage = tokensPerImage, Dim = dim };
        CpuParallel.For(batch, &ScatterImage, &job);
    }

    /// <summary>y[r, :] = x[r, :] rowScale[r / rowsPerScale]; y may alias x.</summary>
    public static void ScaleRows(float* x, float* rowScale, int rowsPerScale, float* y, int rows, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerScale, 1);
        var job = new Job { Src = x, Dst = y, Scale = rowScale, RowsPerScale = rowsPerScale, Rows = rows, Dim = dim };
        CpuParallel.For((rows + ScaleChunkRows - 1) / ScaleChunkRows, &ScaleChunk, &job);
    }

    /// <summary>Span form of <see cref="GatherClass(float*, float*, int, int, int)"/>.</summary>
    public static void GatherClass(ReadOnlySpan<float> tokens, Span<float> cls, int batch, int tokensPerImage, int dim)
    {
        Check(batch, tokensPerImage, dim);
        SpanChecks.Length(tokens.Length, (long)batch * tokensPerImage * dim, nameof(tokens));
        SpanChecks.Length(cls.Length, (long)batch * dim, nameof(cls));
        fixed (float* pt = tokens)
        fixed (float* pc = cls)
        {
            GatherClass(pt, pc, batch, tokensPerImage, dim);
        }
    }

    /// <summary>Span form of <see cref="ScatterClass(float*, float*, int, int, int)"/>.</summary>
    public static void ScatterClass(ReadOnlySpan<float> dCls, Span<float> dTokens, int batch, int tokensPerImage, int dim)
    {
        Check(batch, tokensPerImage, dim);
        SpanChecks.Length(dCls.Length, (long)batch * dim, nameof(dCls));
        SpanChecks.Length(dTokens.Length, (long)batch * tokensPerImage * dim, nameof(dTokens));
        fixed (float* pc = dCls)
        fixed (float* pt = dTokens)
        {
            ScatterClass(pc, pt, batch, tokensPerImage, dim);
        }
    }

    /// <summary>Span form of <see cref="ScaleRows(float*, float*, int, float*, int, int)"/>.</summary>
    public static void ScaleRows(ReadOnlySpan<float> x, ReadOnlySpan<float> rowScale, int rowsPerScale, Span<float> y, int rows, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerScale, 1);
        SpanChecks.Length(x.Length, (long)rows * dim, nameof(x));
        SpanChecks.Length(y.Length, (long)rows * dim, nameof(y));
        if (rows > 0) SpanChecks.Length(rowScale.Length, (rows - 1) / rowsPerScale + 1, nameof(rowScale));
        fixed (float* px = x)
        fixed (float* ps = rowScale)
        fixed (float* py = y)
        {
            ScaleRows(px, ps, rowsPerScale, py, rows, dim);
        }
    }

    private static void Check(int batch, int tokensPerImage, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(tokensPerImage, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
    }

    private static void ScatterImage(int b, void* state)
    {
        var job = (Job*)state;
        long imageSize = (long)job->TokensPerImage * job->Dim;
        float* image = job->Dst + b * imageSize;
        Buffer.MemoryCopy(job->Src + (long)b * job->Dim, image, (long)job->Dim * sizeof(float), (long)job->Dim * sizeof(float));
        new Span<float>(image + job->Dim, checked((int)(imageSize - job->Dim))).Clear();
    }

    private static void ScaleChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int first = chunk * ScaleChunkRows;
        int last = Math.Min(first + ScaleChunkRows, job->Rows);
        int dim = job->Dim;
        for (int r = first; r < last; r++)
        {
            float s = job->Scale[r / job->RowsPerScale];
            float* x = job->Src + (long)r * dim;
            float* y = job->Dst + (long)r * dim;
            int j = 0;
            for (; j + 8 <= dim; j += 8) (Vector256.Load(x + j) * s).Store(y + j);
            for (; j < dim; j++) y[j] = x[j] * s;
        }
    }
}
