using System.Collections.Generic;

namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// The tiles of the generated fp32 attention kernels for one (tokens, head dim): part of the generator's plan, chosen so
/// that every tile fits in 48 KiB of static shared memory (the limit without an opt-in on every GPU since sm_50).
/// <para>
/// The query kernels (forward, dQ) keep a query tile's scores for all keys on chip: QT rows of Q, KT rows of K or V,
/// and QT x TP scores (TP = tokens rounded up to KT). The key kernels (dK, dV) own KB keys each and stage QC query rows
/// of M and X at a time. Larger tiles reuse more of what they stage; a query tile twice the tokens is never taken
/// (a smaller one covers them); accumulators per thread (on the width padded as <see cref="PaddedWidth"/>) stay at most 32 so that nothing spills.
/// </para>
/// </summary>
internal sealed record AttentionTilePlan(int Tokens, int HeadDim, int QueryTile, int KeyTile, int KeyBlock, int QueryChunk)
{
    /// <summary>Static shared memory per block, as every CUDA GPU since sm_50 allows without an opt-in.</summary>
    public const int SharedLimitBytes = 48 * 1024;

    /// <summary>Threads per block of every attention kernel.</summary>
    public const int Threads = 256;

    /// <summary>The most outputs a thread accumulates (QT·DH/256 in the query kernels, KB·DH/256 in the key kernels).</summary>
    public const int MaxOutputsPerThread = 32;

    private static readonly int[] s_tiles = { 32, 16, 8, 4, 2, 1 };

    // Key tiles of the query kernels for a padded head dim (not a power of two): 16 is left out, since ptxas 11.8
    // spilled 4 to 8 bytes in the forward and dQ kernels of tokens 122 / head dims 240 and 248 at 16 x 16 and not at
    // 16 x 8 or 8 x 32 (measured with NVRTC; the sweep's NVRTC test guards every instance the sweep has).
    private static readonly int[] s_paddedKeyTiles = { 32, 8, 4, 2, 1 };

    /// <summary>Shared memory of the forward and dQ kernels for the given tiles.</summary>
    public static long QueryKernelBytes(int tokens, int headDim, int queryTile, int keyTile) =>
        4L * ((long)queryTile * (headDim + 1) + (long)keyTile * (headDim + 1) + (long)queryTile * RoundUp(tokens, keyTile));

    /// <summary>Shared memory of the dK and dV kernels for the given tiles.</summary>
    public static long KeyKernelBytes(int headDim, int keyBlock, int queryChunk) =>
        4L * ((long)queryChunk * (keyBlock + 1) + (long)queryChunk * (headDim + 1));

    /// <summary>The plan for (tokens, head dim), or null with the reason when no tiles fit.</summary>
    public static AttentionTilePlan? TryCreate(int tokens, int headDim, out string? reason)
    {
        reason = null;
        int queryTile = 0, keyTile = 0, best = 0;
        foreach (int qt in s_tiles)
        {
            if (qt > 1 && qt / 2 >= tokens) continue; // a tile of half the rows covers all the tokens
            if ((long)qt * PaddedWidth(headDim) > (long)MaxOutputsPerThread * Threads) continue;
            foreach (int kt in PaddedWidth(headDim) == headDim ? s_tiles : s_paddedKeyTiles)
            {
                if (QueryKernelBytes(tokens, headDim, qt, kt) > SharedLimitBytes) continue;
                // The score phase has qt·kt products per key tile for 256 threads: prefer the first tiles that fill them.
                int parallel = System.Math.Min(qt * kt, Threads);
                if (parallel > best) (queryTile, keyTile, best) = (qt, kt, parallel);
                break;
            }
        }
        int keyBlock = 0, queryChunk = 0;
        foreach (int kb in s_tiles)
        {
            if ((long)kb * PaddedWidth(headDim) > (long)MaxOutputsPerThread * Threads) continue;
            foreach (int qc in s_tiles)
            {
                if (KeyKernelBytes(headDim, kb, qc) > SharedLimitBytes) continue;
                (keyBlock, queryChunk) = (kb, qc);
                break;
            }
            if (keyBlock > 0) break;
        }
        if (queryTile == 0 || keyBlock == 0)
        {
            reason = "its attention over " + tokens + " tokens of head dim " + headDim + " does not fit the 48 KiB of shared memory of the fp32 attention kernels " +
                     "(one query row needs " + QueryKernelBytes(tokens, headDim, 1, 1) + " bytes)";
            return null;
        }
        return new AttentionTilePlan(tokens, headDim, queryTile, keyTile, keyBlock, queryChunk);
    }

    /// <summary>
    /// The width a tile of <paramref name="width"/> columns is spread over the 256 threads with (the kernels' att_width):
    /// the next power of two up to 256, a multiple of 256 beyond, so each thread's elements are known at compile time.
    /// </summary>
    public static int PaddedWidth(int width)
    {
        if (width > Threads) return (width + Threads - 1) / Threads * Threads;
        int padded = 1;
        while (padded < width) padded *= 2;
        return padded;
    }

    /// <summary>Blocks along the tokens of the query kernels.</summary>
    public int QueryBlocks => (Tokens + QueryTile - 1) / QueryTile;

    /// <summary>Blocks along the tokens of the key kernels.</summary>
    public int KeyBlocks => (Tokens + KeyBlock - 1) / KeyBlock;

    private static long RoundUp(int value, int multiple) => ((long)value + multiple - 1) / multiple * multiple;
}
