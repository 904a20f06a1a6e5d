using System;
using System.Collections.Generic;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>The evenly spaced sample and the measured normalization statistics, against direct double sums.</summary>
public sealed class DatasetSampleTests
{
    /// <summary>Random planar pixels, a label per image.</summary>
    private sealed class RandomImages(int count, int channels, int side, int seed) : IImageDataset
    {
        private readonly byte[] _pixels = Pixels(count * channels * side * side, channels, side * side, seed);

        public int Count => count;
        public int Channels => channels;
        public int Height => side;
        public int Width => side;
        public int ClassCount => 3;
        public IReadOnlyList<string> ClassNames => ["a", "b", "c"];
        public NormalizationStatistics Normalization => NormalizationStatistics.ImageNetFor(channels);
        public int Label(int index) => index % 3;
        public void ReadImage(int index, Span<byte> pixels) => _pixels.AsSpan(index * pixels.Length, pixels.Length).CopyTo(pixels);

        private static byte[] Pixels(int length, int channels, int plane, int seed)
        {
            var random = new Random(seed);
            var pixels = new byte[length];
            // Scaled per channel so that the channels' statistics differ (a plain uniform draw gives every channel 0.5).
            for (int i = 0; i < length; i++) pixels[i] = (byte)(random.Next(256) * (1 + i / plane % channels) / 3);
            return pixels;
        }
    }

    [Fact]
    public void TheSampleIsEvenlySpacedAndKeepsTheSourcesLabelsAndPixels()
    {
        var source = new RandomImages(10, 1, 4, seed: 1);
        var sample = new DatasetSample(source, 4);
        Assert.Equal(4, sample.Count);
        Assert.Equal([0, 2, 5, 7], new[] { sample.SourceIndex(0), sample.SourceIndex(1), sample.SourceIndex(2), sample.SourceIndex(3) });
        Assert.Equal(source.Label(5), sample.Label(2));
        var expected = new byte[16];
        var actual = new byte[16];
        source.ReadImage(7, expected);
        sample.ReadImage(3, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(10, new DatasetSample(source, 99).Count);
        Assert.Equal(source.Normalization, sample.Normalization);
        var other = new NormalizationStatistics([0.1f], [0.2f]);
        Assert.Equal(other, new DatasetSample(source, 3, other).Normalization);
        Assert.Throws<ArgumentException>(() => new DatasetSample(source, 3, NormalizationStatistics.ImageNet));
    }

    [Fact]
    public void MeasuredStatisticsAreThePerChannelMeanAndStdOfTheSample()
    {
        var source = new RandomImages(50, 3, 8, seed: 2);
        var measured = NormalizationStatistics.Measure(source, 20);
        var sample = new DatasetSample(source, 20);
        int plane = 64;
        var pixels = new byte[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            double sum = 0, count = 0;
            var values = new List<double>();
            for (int i = 0; i < sample.Count; i++)
            {
                sample.ReadImage(i, pixels);
                for (int p = 0; p < plane; p++) values.Add(pixels[c * plane + p] / 255.0);
            }
            foreach (double v in values) { sum += v; count++; }
            double mean = sum / count, squares = 0;
            foreach (double v in values) squares += (v - mean) * (v - mean);
            double std = Math.Sqrt(squares / count);
            Assert.Equal(mean, measured.Mean[c], 6);
            Assert.Equal(std, measured.Std[c], 6);
        }
        Assert.NotEqual(measured.Mean[0], measured.Mean[1]);
    }
}
