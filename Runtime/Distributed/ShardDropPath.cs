using DinoCompiled.Data;
using DinoCompiled.Training;

namespace DinoCompiled.Distributed;

/// <summary>
/// One rank's drop-path scales: drawn for the whole global batch, one draw per global image as one process draws them
/// (so the result does not depend on the number of ranks), then this shard's rows copied out. Per block and branch the
/// rows are crop-major (<c>crops</c> blocks of B images), so the shard's are <c>crops</c> runs of its images.
/// </summary>
public static unsafe class ShardDropPath
{
    /// <summary>
    /// Draws group <paramref name="group"/>'s scales for <paramref name="crops"/> × <paramref name="batch"/> rows into
    /// <paramref name="global"/> [depth × 2, crops × batch] and copies <paramref name="shard"/>'s into
    /// <paramref name="shardScales"/> [depth × 2, crops × shard images].
    /// </summary>
    public static void Fill(float* global, float* shardScales, ArchitectureInfo architecture, int crops, int batch, BatchShard shard, int seed, long step, int group)
    {
        DropPathSampler.Fill(global, architecture, crops * batch, seed, step, group);
        ShardSlices.Slice(global, shardScales, 2 * architecture.Depth * crops, batch, shard.Start, shard.Images, 1);
    }
}
