// Patch embedding around the GEMM: unfold images into patch rows (so that the conv with
// kernel = stride = patch is one GEMM against the [D, C p p] weight), and assemble the
// token sequence (class token + position embeddings) and its backward.
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Patch unfolding and token assembly.</summary>
public static unsafe class Patch
{
    private struct Job
    {
        public float* Images, Columns, PatchTokens, Cls, PosCls, PosPatches, Tokens;
        public int Batch, Channels, Size, PatchSize, Patches, Dim;
    }

    /// <summary>
    /// columns[b G^2 + gy G + gx, c p^2 + ky p + kx] = images[b, c, gy p + ky, gx p + kx],
    /// G = size / patch: rows in row-major grid order, columns in the conv weight's (c, ky, kx) order.
    /// </summary>
    public static void Im2Col(float* images, float* columns, int batch, int channels, int size, int patch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patch, 1);
        if (size < patch || size % patch != 0) throw new ArgumentException("The image size must be a multiple of the patch size.", nameof(size));
        var job = new Job { Images = images, Columns = columns, Batch = batch, Channels = channels, Size = size, PatchSize = patch };
        CpuParallel.For(batch * (size / patch), &Im2ColRow, &job);
    }

    /// <summary>tokens[b, 0] = cls + posCls; tokens[b, 1 + n] = patchTokens[b, n] + posPatches[n].</summary>
    public static void AssembleTokens(float* patchTokens, float* cls, float* posCls, float* posPatches, float* tokens, int batch, int patches, int dim)
    {
        CheckTokens(batch, patches, dim);
        var job = new Job { PatchTokens = patchTokens, Cls = cls, PosCls = posCls, PosPatches = posPatches, Tokens = tokens, Batch = batch, Patches = patches, Dim = dim };
        CpuParallel.For(batch, &AssembleImage, &job);
    }

    /// <summary>
    /// dPatchTokens[b, n] = dTokens[b, 1 + n] (overwritten); dCls and dPosCls += sum over b of
    /// dTokens[b, 0]; dPosPatches[n] += sum over b of dTokens[b, 1 + n]. Sums in double, in batch order.
    /// </summary>
    public static void AssembleTokensBackward(float* dTokens, float* dPatchTokens, float* dCls, float* dPosCls, float* dPosPatches, int batch, int patches, int dim)
    {
        CheckTokens(batch, patches, dim);
        var job = new Job { Tokens = dTokens, PatchTokens = dPatchTokens, Cls = dCls, PosCls = dPosCls, PosPatches = dPosPatches, Batch = batch, Patches = patches, Dim = dim };
        // Items 0..patches-1 reduce position rows 1..patches (and copy them out); item
        // `patches` reduces the class row. Each output is owned by exactly one item.
        CpuParallel.For(patches + 1, &AssembleBackwardToken, &job);
    }

    /// <summary>Span form of <see cref="Im2Col(float*, float*, int, int, int, int)"/>.</summary>
    public static void Im2Col(ReadOnlySpan<float> images, Span<float> columns, int batch, int channels, int size, int patch)
    {
        SpanChecks.Length(images.Length, (long)batch * channels * size * size, nameof(images));
        SpanChecks.Length(columns.Length, (long)batch * channels * size * size, nameof(columns));
        fixed (float* pi = images)
        fixed (float* pc = columns)
        {
            Im2Col(pi, pc, batch, channels, size, patch);
        }
    }

    /// <summary>Span form of <see cref="AssembleTokens(float*, float*, float*, float*, float*, int, int, int)"/>.</summary>
    public static void AssembleTokens(ReadOnlySpan<float> patchTokens, ReadOnlySpan<float> cls, ReadOnlySpan<float> posCls,
        ReadOnlySpan<float> posPatches, Span<float> tokens, int batch, int patches, int dim)
    {
        CheckTokenSpans(patchTokens.Length, cls.Length, posCls.Length, posPatches.Length, tokens.Length, batch, patches, dim);
        fixed (float* pp = patchTokens)
        fixed (float* pc = cls)
        fixed (float* ppc = posCls)
        fixed (float* ppp = posPatches)
        fixed (float* pt = tokens)
        {
            AssembleTokens(pp, pc, ppc, ppp, pt, batch, patches, dim);
        }
    }

    /// <summary>Span form of <see cref="AssembleTokensBackward(float*, float*, float*, float*, float*, int, int, int)"/>.</summary>
    public static void AssembleTokensBackward(ReadOnlySpan<float> dTokens, Span<float> dPatchTokens, Span<float> dCls,
        Span<float> dPosCls, Span<float> dPosPatches, int batch, int patches, int dim)
    {
        CheckTokenSpans(dPatchTokens.Length, dCls.Length, dPosCls.Length, dPosPatches.Length, dTokens.Length, batch, patches, dim);
        fixed (float* pt = dTokens)
        fixed (float* pp = dPatchTokens)
        fixed (float* pc = dCls)
        fixed (float* ppc = dPosCls)
        fixed (float* ppp = dPosPatches)
        {
            AssembleTokensBackward(pt, pp, pc, ppc, ppp, batch, patches, dim);
        }
    }

    private static void CheckTokenSpans(int patchTokens, int cls, int posCls, int posPatches, int tokens, int batch, int patches, int dim)
    {
        SpanChecks.Length(patchTokens, (long)batch * patches * dim, nameof(patchTokens));
        SpanChecks.Length(cls, dim, nameof(cls));
        SpanChecks.Length(posCls, dim, nameof(posCls));
        SpanChecks.Length(posPatches, (long)patches * dim, nameof(posPatches));
        SpanChecks.Length(tokens, (long)batch * (patches + 1) * dim, nameof(tokens));
    }

    private static void CheckTokens(int batch, int patches, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(patches);
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
    }

    private static void Im2ColRow(int item, void* state)
    {
        var job = (Job*)state;
        int p = job->PatchSize, size = job->Size, channels = job->Channels;
        int grid = size / p;
        int b = item / grid, gy = item - b * grid;
        int width = channels * p * p;
        for (int gx = 0; gx < grid; gx++)
        {
            float* row = job->Columns + ((long)item * grid + gx) * width;
            for (int c = 0; c < channels; c++)
            {
                float* plane = job->Images + ((long)b * channels + c) * size * size;
                for (int ky = 0; ky < p; ky++)
                {
                    float* src = plane + (long)(gy * p + ky) * size + gx * p;
                    Buffer.MemoryCopy(src, row + (c * p + ky) * p, (long)p * sizeof(float), (long)p * sizeof(float));
                }
            }
        }
    }

    private static void AssembleImage(int b, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim, patches = job->Patches;
        float* image = job->Tokens + (long)b * (patches + 1) * dim;
        Add(job->Cls, job->PosCls, image, dim);
        float* src = job->PatchTokens + (long)b * patches * dim;
        for (int n = 0; n < patches; n++) Add(src + (long)n * dim, job->PosPatches + (long)n * dim, image + (long)(n + 1) * dim, dim);
    }

    private static void AssembleBackwardToken(int item, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim, patches = job->Patches, batch = job->Batch;
        long stride = (long)(patches + 1) * dim;
        if (item == patches)
        {
            ColumnSummer.Sum(job->Tokens, stride, batch, dim, job->Cls, accumulate: true);
            ColumnSummer.Sum(job->Tokens, stride, batch, dim, job->PosCls, accumulate: true);
            return;
        }

        float* first = job->Tokens + (long)(item + 1) * dim;
        ColumnSummer.Sum(first, stride, batch, dim, job->PosPatches + (long)item * dim, accumulate: true);
        for (int b = 0; b < batch; b++)
        {
            Buffer.MemoryCopy(first + b * stride, job->PatchTokens + ((long)b * patches + item) * dim, (long)dim * sizeof(float), (long)dim * sizeof(float));
        }
    }

    private static void Add(float* x, float* y, float* sum, int dim)
    {
        int j = 0;
        for (; j + 8 <= dim; j += 8) (Vector256.Load(x + j) + Vector256.Load(y + j)).Store(sum + j);
        for (; j < dim; j++) sum[j] = x[j] + y[j];
    }
}
