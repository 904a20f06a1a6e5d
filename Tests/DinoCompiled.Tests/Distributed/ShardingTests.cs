using System;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Data;
using DinoCompiled.Distributed;
using DinoCompiled.Models;
using DinoCompiled.Tests.Data;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Distributed;

/// <summary>
/// What makes N ranks see one process's batch, without MPI: each rank's loader makes exactly its shard of every global
/// batch (the same bytes, in the same crop-major places), drop path sliced from the global draws is what a shard-sized
/// draw would not be, the gather puts shards back in the global order, and a batch that does not split is refused.
/// </summary>
public sealed unsafe class ShardingTests
{
    private static readonly MultiCropConfig Small = new() { GlobalSize = 16, LocalSize = 8, LocalCount = 3 };

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void TheShardsOfEveryBatchAreTheWholeBatchInPlace(int ranks)
    {
        const int batch = 8;
        var dataset = InMemoryDataset.Random(40, 1, 20, 18, seed: 11);
        using var whole = new MultiCropLoader(dataset, Small, batch, seed: 5, workerCount: 2, prefetchDepth: 2);
        var shards = Enumerable.Range(0, ranks)
            .Select(r => new MultiCropLoader(dataset, Small, batch, seed: 5, workerCount: 1, prefetchDepth: 1, BatchShard.Of(batch, r, ranks))).ToArray();
        try
        {
            Assert.All(shards, s => Assert.Equal(whole.BatchesPerEpoch, s.BatchesPerEpoch));
            whole.StartEpoch(1, firstBatch: 1);
            foreach (var shard in shards) shard.StartEpoch(1, firstBatch: 1);
            int images = batch / ranks, compared = 0;
            while (whole.TryGetNext(out var full))
            {
                for (int r = 0; r < ranks; r++)
                {
                    Assert.True(shards[r].TryGetNext(out var part));
                    Assert.Equal(images, part.BatchSize);
                    for (int i = 0; i < images; i++)
                    {
                        Assert.Equal(full.Indices[r * images + i], part.Indices[i]);
                        for (int crop = 0; crop < 2; crop++)
                            Assert.True(full.GlobalCrop(crop, r * images + i).SequenceEqual(part.GlobalCrop(crop, i)), $"batch {full.BatchIndex} rank {r} image {i} global crop {crop}");
                        for (int crop = 0; crop < Small.LocalCount; crop++)
                            Assert.True(full.LocalCrop(crop, r * images + i).SequenceEqual(part.LocalCrop(crop, i)), $"batch {full.BatchIndex} rank {r} image {i} local crop {crop}");
                        compared++;
                    }
                    part.Release();
                }
                full.Release();
            }
            Assert.Equal((whole.BatchesPerEpoch - 1) * batch, compared);
        }
        finally
        {
            foreach (var shard in shards) shard.Dispose();
        }
    }

    [Fact]
    public void EachRankTakesItsImagesDropPathFromTheGlobalDraws()
    {
        // FmnistTiny's blocks drop paths at rates up to 0.1: of 2 crops x 16 images, every block and branch draws 32 scales.
        var architecture = FmnistTiny.Description.Architecture;
        const int batch = 16, ranks = 2, images = batch / ranks;
        int slots = 2 * architecture.Depth;
        var global = new float[slots * 2 * batch];
        var shard = new float[slots * 2 * images];
        fixed (float* g = global, s = shard)
        {
            DropPathSampler.Fill(g, architecture, 2 * batch, seed: 3, step: 17, group: 0);
            ShardSlices.Slice(g, s, slots * 2, batch, images, images, 1);
        }
        Assert.Contains(0f, global);
        for (int slot = 0; slot < slots; slot++)
            for (int crop = 0; crop < 2; crop++)
                for (int i = 0; i < images; i++)
                    Assert.Equal(global[slot * 2 * batch + crop * batch + images + i], shard[slot * 2 * images + crop * images + i]);

        // A draw of the shard's size would give other images' scales: slicing is what keeps drop path independent of N.
        var own = new float[shard.Length];
        fixed (float* o = own) DropPathSampler.Fill(o, architecture, 2 * images, seed: 3, step: 17, group: 0);
        Assert.False(own.SequenceEqual(shard));
    }

    [Fact]
    public void InterleavingTheGatheredShardsGivesTheGlobalOrder()
    {
        const int ranks = 3, groups = 4, images = 2, row = 5;
        var global = Enumerable.Range(0, groups * ranks * images * row).Select(i => (float)i).ToArray();
        var gathered = new float[global.Length];
        var back = new float[global.Length];
        fixed (float* g = global, t = gathered, b = back)
        {
            for (int r = 0; r < ranks; r++) ShardSlices.Slice(g, t + (long)r * groups * images * row, groups, ranks * images, r * images, images, row);
            ShardSlices.Interleave(t, b, ranks, groups, images, row);
        }
        Assert.Equal(global, back);
        Assert.NotEqual(global, gathered);
    }

    [Fact]
    public void ABatchThatDoesNotSplitIsRefusedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BatchShard.Of(30, 0, 4));
        Assert.StartsWith("the batch of 30 images does not split into 4 equal shards; give a batch that is a multiple of 4", error.Message);
        Assert.Equal(new BatchShard(24, 8), BatchShard.Of(32, 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShard.Of(32, 4, 4));
    }

    [Fact]
    public void OneProcessIsTheIdentityWorld()
    {
        var world = SingleProcess.Instance;
        Assert.Equal((0, 1), (world.Rank, world.Size));
        float[] values = [1.5f, -2];
        fixed (float* v = values) world.AllReduceSum(v, 2);
        Assert.Equal([1.5f, -2], values);
        using var trainer = new Trainer<FmnistTiny>(new TrainingOptions { BatchSize = 4, LocalCrops = 0 }, 1);
        Assert.Same(world, trainer.Communicator);
        Assert.Equal(new BatchShard(0, 4), trainer.Shard);
    }
}
