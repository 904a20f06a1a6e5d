using System;

namespace DinoCompiled.Distributed;

/// <summary>
/// Copies one rank's rows out of a global batch's crop-major buffers: row <c>crop · B + image</c> holds an image's crop,
/// so the shard's images are contiguous rows in each crop's block. Drop-path scales are
/// drawn for the global batch (one draw per global image index, whatever the number of ranks) and sliced the same way;
/// gathered outputs are put back in the global order with <see cref="Interleave"/>.
/// </summary>
public static unsafe class ShardSlices
{
    /// <summary>
    /// From <paramref name="source"/> [groups · batch · rowLength] (groups blocks of the global batch) to
    /// <paramref name="destination"/> [groups · shardImages · rowLength]: each block's rows shardStart to shardStart + shardImages.
    /// </summary>
    public static void Slice(float* source, float* destination, int groups, int batch, int shardStart, int shardImages, long rowLength)
    {
        if (shardStart < 0 || shardImages < 0 || shardStart + shardImages > batch) throw new ArgumentOutOfRangeException(nameof(shardStart));
        long bytes = shardImages * rowLength * sizeof(float);
        for (int g = 0; g < groups; g++)
            Buffer.MemoryCopy(source + ((long)g * batch + shardStart) * rowLength, destination + (long)g * shardImages * rowLength, bytes, bytes);
    }

    /// <summary>
    /// From an all-gather's [ranks][groups · shardImages · rowLength] to the global [groups · (ranks · shardImages) · rowLength]:
    /// what one process would have computed in the same places.
    /// </summary>
    public static void Interleave(float* gathered, float* destination, int ranks, int groups, int shardImages, long rowLength)
    {
        long bytes = shardImages * rowLength * sizeof(float);
        int batch = ranks * shardImages;
        for (int r = 0; r < ranks; r++)
            for (int g = 0; g < groups; g++)
                Buffer.MemoryCopy(gathered + ((long)r * groups + g) * shardImages * rowLength, destination + ((long)g * batch + (long)r * shardImages) * rowLength, bytes, bytes);
    }
}
