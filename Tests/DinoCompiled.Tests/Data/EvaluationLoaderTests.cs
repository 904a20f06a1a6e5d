using System;
using System.Linq;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>Evaluation batches: whole images in dataset order, resized only when the size differs, normalized, a partial last batch.</summary>
public sealed class EvaluationLoaderTests
{
    [Fact]
    public void ImagesInOrderNormalizedWithAPartialLastBatch()
    {
        var dataset = InMemoryDataset.Random(23, 3, 10, 10, seed: 12);
        using var loader = new EvaluationLoader(dataset, imageSize: 10, batchSize: 8);
        Assert.Equal(3, loader.BatchCount);
        var image = new byte[300];
        var stats = NormalizationStatistics.ImageNet;
        for (int b = 0; b < loader.BatchCount; b++)
        {
            var batch = loader.ReadBatch(b);
            Assert.Equal(b * 8, batch.Start);
            Assert.Equal(b < 2 ? 8 : 7, batch.Count);
            Assert.Equal(batch.Count * 300, batch.ImageSpan.Length);
            for (int i = 0; i < batch.Count; i++)
            {
                dataset.ReadImage(batch.Start + i, image);
                Assert.Equal(dataset.Label(batch.Start + i), batch.Labels[i]);
                var images = batch.ImageSpan;
                for (int p = 0; p < 300; p++)
                    Assert.Equal((image[p] / 255f - stats.Mean[p / 100]) / stats.Std[p / 100], images[i * 300 + p]);
            }
        }
    }

    [Fact]
    public void ImagesOfAnotherSizeAreResizedBicubically()
    {
        var dataset = InMemoryDataset.Random(5, 1, 28, 28, seed: 13);
        var given = new NormalizationStatistics([0.5f], [0.25f]);
        using var loader = new EvaluationLoader(dataset, imageSize: 32, batchSize: 5, normalization: given, threads: 3);
        var batch = loader.ReadBatch(0);
        var image = new byte[784];
        var resized = new byte[1024];
        var expected = new float[1024];
        var normalizer = new PixelNormalizer(given);
        for (int i = 0; i < 5; i++)
        {
            dataset.ReadImage(i, image);
            new PillowBicubicResampler().Resize(image, 1, 28, 28, new CropBox(0, 0, 28, 28), resized, 32, 32);
            normalizer.Normalize(resized, expected);
            Assert.Equal(expected, batch.ImageSpan.Slice(i * 1024, 1024).ToArray());
        }
    }

    [Fact]
    public void ThreadsDoNotChangeTheBatches()
    {
        var dataset = InMemoryDataset.Random(19, 3, 12, 12, seed: 14);
        using var one = new EvaluationLoader(dataset, 16, 6, threads: 1);
        using var three = new EvaluationLoader(dataset, 16, 6, threads: 3);
        for (int b = 0; b < one.BatchCount; b++)
            Assert.True(one.ReadBatch(b).ImageSpan.SequenceEqual(three.ReadBatch(b).ImageSpan), $"batch {b}");
    }
}
