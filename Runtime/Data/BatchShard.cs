using System;

namespace DinoCompiled.Data;

/// <summary>
/// The images of every global batch that one rank of a data-parallel run takes: <see cref="Images"/> consecutive
/// positions from <see cref="Start"/>, in the order a single process reads the batch. Rank r of N with global batch B
/// takes [r·B/N, (r+1)·B/N), so the N shards together are the batch a single process would make.
/// </summary>
/// <param name="Start">The first position of the shard within the global batch.</param>
/// <param name="Images">Images in the shard.</param>
public readonly record struct BatchShard(int Start, int Images)
{
    /// <summary>The shard of <paramref name="rank"/> among <paramref name="ranks"/> in a global batch of <paramref name="batch"/>.</summary>
    /// <exception cref="ArgumentException">The batch does not split into equal shards.</exception>
    public static BatchShard Of(int batch, int rank, int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        if ((uint)rank >= (uint)ranks) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Ranks are 0 to {ranks - 1}.");
        if (batch % ranks != 0)
            throw new ArgumentException($"the batch of {batch} images does not split into {ranks} equal shards; give a batch that is a multiple of {ranks}", nameof(batch));
        int images = batch / ranks;
        return new BatchShard(rank * images, images);
    }
}
