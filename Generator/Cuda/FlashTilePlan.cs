namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// The tiles of the flash-attention kernel for one (tokens, head dim): warps per block (each owns 16 query rows) and the
/// key tile staged per step. The warps minimize the padded query rows, weighted by 1 + 1/(2 warps) for the K and V tiles
/// each block stages again (so 197 tokens take 3 warps, 48 rows a block, and 785 take 4); the key tile is the largest of
/// 64, 32, 16 whose Q, K and transposed V tiles fit 48 KiB of static shared memory. Head dims must be multiples of 8
/// (the m16n8k16 fragments, padded to 16) and at most 128 (the output accumulators, DH/2 registers per thread, beside the
/// scores').
/// </summary>
internal sealed record FlashTilePlan(int Tokens, int HeadDim, int Warps, int KeyTile)
{
    public const int MaxHeadDim = 128;

    /// <summary>The backward keeps K, V (or Q, dO) fragments, two accumulators of DH/2 and two score tiles in registers.</summary>
    public const int MaxBackwardHeadDim = 64;

    /// <summary>Query rows per staged tile of the dK/dV kernel.</summary>
    public const int BackwardQueryTile = 32;

    public bool HasBackward => HeadDim <= MaxBackwardHeadDim;

    /// <summary>The dQ kernel's key tile: 64 unless K, V, Kᵀ and the block's Q and dO exceed 48 KiB.</summary>
    public int BackwardKeyTile => GradQueriesBytes(HeadDim, Warps, 64) <= AttentionTilePlan.SharedLimitBytes ? 64 : 32;

    public static long GradKeysBytes(int headDim, int warps)
    {
        int padded = (headDim + 15) / 16 * 16;
        return 2L * (2L * BackwardQueryTile * (padded + 8) + 2L * padded * (BackwardQueryTile + 8) + 2L * 16 * warps * (padded + 8)) + 8L * BackwardQueryTile;
    }

    public static long GradQueriesBytes(int headDim, int warps, int keyTile)
    {
        int padded = (headDim + 15) / 16 * 16;
        return 2L * (2L * keyTile * (padded + 8) + (long)padded * (keyTile + 8) + 2L * 16 * warps * (padded + 8));
    }

    public static FlashTilePlan? TryCreate(int tokens, int headDim)
    {
        if (headDim % 8 != 0 || headDim > MaxHeadDim) return null;
        int warps = 0;
        double best = double.MaxValue;
        foreach (int w in new[] { 4, 3, 2, 1 })
        {
            long rows = (tokens + 16L * w - 1) / (16L * w) * 16 * w;
            double cost = rows * (1 + 1.0 / (2 * w));
            if (cost < best - 1e-9) (warps, best) = (w, cost);
        }
        foreach (int keyTile in new[] { 64, 32, 16 })
            if (SharedBytes(headDim, warps, keyTile) <= AttentionTilePlan.SharedLimitBytes) return new FlashTilePlan(tokens, headDim, warps, keyTile);
        return null;
    }

    /// <summary>Q (16 warps rows), K (key tile rows) and transposed V tiles, bf16, rows padded by 8 against bank conflicts.</summary>
    public static long SharedBytes(int headDim, int warps, int keyTile)
    {
        int padded = (headDim + 15) / 16 * 16;
        return 2L * (16L * warps * (padded + 8) + (long)keyTile * (padded + 8) + (long)padded * (keyTile + 8));
    }

    public int Threads => 32 * Warps;

    public int QueryBlocks => (Tokens + 16 * Warps - 1) / (16 * Warps);
}
