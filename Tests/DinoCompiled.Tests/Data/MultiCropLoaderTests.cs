using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>The loader: batches independent of the worker count, crop-major layout, epochs, the ring's hand-out rules, worker failures.</summary>
public sealed class MultiCropLoaderTests
{
    private static readonly MultiCropConfig Small = new() { GlobalSize = 16, LocalSize = 8, LocalCount = 3 };

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BatchesAreBitwiseTheSameForOneAndThreeWorkers(int channels)
    {
        var dataset = InMemoryDataset.Random(70, channels, 20, 18, seed: 4);
        var one = Collect(dataset, workers: 1, prefetch: 1, epochs: [0, 1]);
        var three = Collect(dataset, workers: 3, prefetch: 4, epochs: [0, 1]);
        Assert.Equal(2 * (70 / 8), one.Count);
        Assert.Equal(one.Count, three.Count);
        for (int b = 0; b < one.Count; b++) Assert.True(one[b].SequenceEqual(three[b]), $"batch {b} differs between 1 and 3 workers");
    }

    [Fact]
    public void CropsAreCropMajorAndLabelsAndIndicesMatch()
    {
        // Constant images whose value encodes (index, channel); with jitter and solarize off every crop stays constant.
        const int channels = 3, count = 40, batch = 6;
        var dataset = InMemoryDataset.IndexEncoding(count, channels, 12, 12);
        var config = Small with { ColorJitterEnabled = false, SolarizeEnabled = false, GrayscaleEnabled = false, Normalization = new NormalizationStatistics([0, 0, 0], [1, 1, 1]) };
        using var loader = new MultiCropLoader(dataset, config, batch, seed: 1, workerCount: 2, prefetchDepth: 2);
        loader.StartEpoch(0);
        var seen = new List<int>();
        while (loader.TryGetNext(out var b))
        {
            Assert.Equal(2L * batch * channels * 16 * 16, b.GlobalCropLength);
            Assert.Equal(3L * batch * channels * 8 * 8, b.LocalCropLength);
            var global = b.GlobalCropSpan;
            var local = b.LocalCropSpan;
            for (int image = 0; image < batch; image++)
            {
                int index = b.Indices[image];
                Assert.Equal(dataset.Label(index), b.Labels[image]);
                for (int c = 0; c < channels; c++)
                {
                    float value = InMemoryDataset.EncodedValue(index, c) / 255f;
                    for (int crop = 0; crop < 2; crop++)
                    {
                        // Row crop·B + image of [2B, C, 16, 16].
                        var plane = global.Slice(((crop * batch + image) * channels + c) * 256, 256);
                        Assert.All(plane.ToArray(), v => Assert.Equal(value, v, 6));
                    }
                    for (int crop = 0; crop < 3; crop++)
                    {
                        var plane = local.Slice(((crop * batch + image) * channels + c) * 64, 64);
                        Assert.All(plane.ToArray(), v => Assert.Equal(value, v, 6));
                    }
                }
            }
            seen.AddRange(b.Indices.ToArray());
            b.Release();
        }
        // ⌊40 / 6⌋ = 6 batches in the epoch's shuffled order; the last 4 images are dropped.
        var order = new int[count];
        EpochShuffle.Fill(1, 0, order);
        Assert.Equal(order.Take(36), seen);
    }

    [Fact]
    public void TheCropAccessorsAgreeWithTheLayout()
    {
        var dataset = InMemoryDataset.Random(20, 1, 16, 16, seed: 9);
        using var loader = new MultiCropLoader(dataset, Small, 4, seed: 2, workerCount: 1, prefetchDepth: 1);
        loader.StartEpoch(0);
        Assert.True(loader.TryGetNext(out var batch));
        Assert.True(batch.GlobalCrop(1, 2).SequenceEqual(batch.GlobalCropSpan.Slice((1 * 4 + 2) * 256, 256)));
        Assert.True(batch.LocalCrop(2, 3).SequenceEqual(batch.LocalCropSpan.Slice((2 * 4 + 3) * 64, 64)));
        // The crop equals the augmentation's own output for (seed, epoch, index, crop).
        var image = new byte[256];
        dataset.ReadImage(batch.Indices[3], image);
        var expected = new float[64];
        loader.Augmentation.WriteCrop(image, 2, 0, batch.Indices[3], 2 + 2, expected, loader.Augmentation.CreateWorkspace());
        Assert.Equal(expected, batch.LocalCrop(2, 3).ToArray());
        batch.Release();
        Assert.Throws<InvalidOperationException>(() => batch.GlobalCropSpan.Length);
        Assert.Throws<InvalidOperationException>(() => batch.Release());
    }

    [Fact]
    public void EpochsShuffleDifferentlyAndRestartCleanly()
    {
        var dataset = InMemoryDataset.Random(48, 1, 16, 16, seed: 5);
        var epoch1 = Collect(dataset, workers: 2, prefetch: 2, epochs: [1]);
        var epoch2 = Collect(dataset, workers: 2, prefetch: 2, epochs: [2]);
        Assert.NotEqual(epoch1[0], epoch2[0]);

        // Abandon epoch 0 after one batch: epoch 1 is then exactly what a fresh loader gives.
        using var loader = new MultiCropLoader(dataset, Small, 8, seed: 3, workerCount: 2, prefetchDepth: 3);
        loader.StartEpoch(0);
        Assert.True(loader.TryGetNext(out var first));
        first.Release();
        loader.StartEpoch(1);
        var restarted = Drain(loader);
        Assert.Equal(epoch1.Count, restarted.Count);
        for (int b = 0; b < restarted.Count; b++) Assert.True(epoch1[b].SequenceEqual(restarted[b]), $"batch {b} differs after a restart");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    public void StartingMidEpochHandsOutExactlyTheRestOfTheEpoch(int firstBatch)
    {
        var dataset = InMemoryDataset.Random(45, 1, 16, 16, seed: 9);
        var whole = Collect(dataset, workers: 2, prefetch: 2, epochs: [3]);
        using var loader = new MultiCropLoader(dataset, Small, 8, seed: 3, workerCount: 2, prefetchDepth: 2);
        loader.StartEpoch(0);
        Assert.True(loader.TryGetNext(out var held));
        held.Release();
        loader.StartEpoch(3, firstBatch);
        var rest = Drain(loader);
        Assert.Equal(whole.Count - firstBatch, rest.Count);
        for (int b = 0; b < rest.Count; b++)
            Assert.True(whole[firstBatch + b].SequenceEqual(rest[b]), $"batch {firstBatch + b} differs when the epoch starts at batch {firstBatch}");
        Assert.Throws<ArgumentOutOfRangeException>(() => loader.StartEpoch(3, whole.Count + 1));
    }

    [Fact]
    public void AConsumerThatHoldsTheWholeRingIsTold()
    {
        var dataset = InMemoryDataset.Random(64, 1, 16, 16, seed: 6);
        using var loader = new MultiCropLoader(dataset, Small, 4, seed: 3, workerCount: 1, prefetchDepth: 2);
        loader.StartEpoch(0);
        var held = new List<MultiCropBatch>();
        for (int i = 0; i < loader.RingSize; i++)
        {
            Assert.True(loader.TryGetNext(out var b));
            held.Add(b);
        }
        var error = Assert.Throws<InvalidOperationException>(() => loader.TryGetNext(out _));
        Assert.Contains("release one", error.Message);
        held[0].Release();
        Assert.True(loader.TryGetNext(out var next));
        Assert.Equal(loader.RingSize, next.BatchIndex);
    }

    [Fact]
    public void AFailedReadReachesTheConsumer()
    {
        var dataset = InMemoryDataset.Random(32, 1, 16, 16, seed: 7).FailingAt(5);
        using var loader = new MultiCropLoader(dataset, Small, 8, seed: 3, workerCount: 2, prefetchDepth: 2);
        loader.StartEpoch(0);
        var error = Assert.Throws<DatasetException>(() =>
        {
            while (loader.TryGetNext(out var b)) b.Release();
        });
        Assert.Equal("memory/5.png: corrupt image data: test failure", error.Message);
    }

    [Fact]
    public void UsageErrors()
    {
        var dataset = InMemoryDataset.Random(10, 1, 16, 16, seed: 8);
        Assert.Throws<ArgumentException>(() => new MultiCropLoader(dataset, Small, 11, 0, 1, 1));
        using var loader = new MultiCropLoader(dataset, Small, 4, 0, 1, 1);
        Assert.Throws<InvalidOperationException>(() => loader.TryGetNext(out _));
        loader.StartEpoch(0);
        Assert.Equal(2, Drain(loader).Count);
        Assert.False(loader.TryGetNext(out _));
    }

    private static List<float[]> Collect(IImageDataset dataset, int workers, int prefetch, int[] epochs)
    {
        using var loader = new MultiCropLoader(dataset, Small, 8, seed: 3, workerCount: workers, prefetchDepth: prefetch);
        var batches = new List<float[]>();
        foreach (int epoch in epochs)
        {
            loader.StartEpoch(epoch);
            batches.AddRange(Drain(loader));
        }
        return batches;
    }

    // Each batch flattened: global crops, local crops, then labels and indices as floats.
    private static List<float[]> Drain(MultiCropLoader loader)
    {
        var batches = new List<float[]>();
        while (loader.TryGetNext(out var b))
        {
            batches.Add([.. b.GlobalCropSpan, .. b.LocalCropSpan, .. b.Labels.ToArray().Select(l => (float)l), .. b.Indices.ToArray().Select(i => (float)i)]);
            b.Release();
        }
        return batches;
    }
}
