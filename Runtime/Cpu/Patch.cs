using System;

namespace DinoCompiled.Cpu;

/// <summary>
/// The patch embedding's data movement: unfolding images into patch rows (so the convolution is one GEMM), and
/// assembling tokens (CLS first, position embedding added) and its backward. Parallel over images; the sums over
/// images of the backward run per position row, in image order, so they are deterministic.
/// </summary>
public static unsafe class Patch
{
    /// <summary>columns[b·N + n, (c, ky, kx)] = images[b, c, py·p + ky, px·p + kx] for patch n = py·(size/p) + px.</summary>
    public static void Im2Col(float* images, float* columns, int batch, int channels, int size, int patch)
    {
        var body = new Im2ColBody { Images = images, Columns = columns, Channels = channels, Size = size, Patch = patch };
        CpuParallel.For(batch, ref body);
    }

    /// <summary>tokens[b, 0] = cls + posCls; tokens[b, 1 + n] = patchTokens[b, n] + posPatches[n].</summary>
    public static void AssembleTokens(float* patchTokens, float* cls, float* posCls, float* posPatches, float* tokens, int batch, int patches, int dim)
    {
        var body = new AssembleBody { PatchTokens = patchTokens, Cls = cls, PosCls = posCls, PosPatches = posPatches, Tokens = tokens, Patches = patches, Dim = dim };
        CpuParallel.For(batch, ref body);
    }

    /// <summary>dPatchTokens = dTokens[:, 1:] (written); dCls, dPosCls += Σ_b dTokens[b, 0]; dPosPatches[n] += Σ_b dTokens[b, 1 + n].</summary>
    public static void AssembleTokensBackward(float* dTokens, float* dPatchTokens, float* dCls, float* dPosCls, float* dPosPatches, int batch, int patches, int dim)
    {
        var copy = new SplitBody { DTokens = dTokens, DPatchTokens = dPatchTokens, Patches = patches, Dim = dim };
        CpuParallel.For(batch, ref copy);
        var sums = new PositionSumsBody { DTokens = dTokens, DCls = dCls, DPosCls = dPosCls, DPosPatches = dPosPatches, Batch = batch, Patches = patches, Dim = dim };
        CpuParallel.For(patches + 1, ref sums);
    }

    private struct Im2ColBody : IParallelBody
    {
        public float* Images, Columns;
        public int Channels, Size, Patch;

        public void Invoke(int b)
        {
            int grid = Size / Patch, width = Channels * Patch * Patch;
            float* image = Images + (long)b * Channels * Size * Size;
            for (int py = 0; py < grid; py++)
                for (int px = 0; px < grid; px++)
                {
                    float* row = Columns + ((long)b * grid * grid + py * grid + px) * width;
                    for (int c = 0; c < Channels; c++)
                        for (int ky = 0; ky < Patch; ky++)
                        {
                            float* src = image + ((long)c * Size + py * Patch + ky) * Size + px * Patch;
                            new ReadOnlySpan<float>(src, Patch).CopyTo(new Span<float>(row + (c * Patch + ky) * Patch, Patch));
                        }
                }
        }
    }

    private struct AssembleBody : IParallelBody
    {
        public float* PatchTokens, Cls, PosCls, PosPatches, Tokens;
        public int Patches, Dim;

        public void Invoke(int b)
        {
            float* tokens = Tokens + (long)b * (Patches + 1) * Dim;
            for (int j = 0; j < Dim; j++) tokens[j] = Cls[j] + PosCls[j];
            float* patchTokens = PatchTokens + (long)b * Patches * Dim;
            for (long i = 0; i < (long)Patches * Dim; i++) tokens[Dim + i] = patchTokens[i] + PosPatches[i];
        }
    }

    private struct SplitBody : IParallelBody
    {
        public float* DTokens, DPatchTokens;
        public int Patches, Dim;

        public void Invoke(int b)
        {
            long count = (long)Patches * Dim;
            Buffer.MemoryCopy(DTokens + (long)b * (Patches + 1) * Dim + Dim, DPatchTokens + b * count, count * sizeof(float), count * sizeof(float));
        }
    }

    private struct PositionSumsBody : IParallelBody
    {
        public float* DTokens, DCls, DPosCls, DPosPatches;
        public int Batch, Patches, Dim;

        public void Invoke(int row)
        {
            for (int j = 0; j < Dim; j++)
            {
                float sum = 0;
                for (int b = 0; b < Batch; b++) sum += DTokens[((long)b * (Patches + 1) + row) * Dim + j];
                if (row == 0)
                {
                    DCls[j] += sum;
                    DPosCls[j] += sum;
                }
                else DPosPatches[(long)(row - 1) * Dim + j] += sum;
            }
        }
    }
}
