using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Data;

namespace DinoCompiled.Tests.Data;

/// <summary>A dataset held in arrays, for tests: random images, images that encode their index, or one that fails on a chosen read.</summary>
internal sealed class InMemoryDataset : IImageDataset
{
    private readonly byte[][] _images;
    private readonly int[] _labels;

    public InMemoryDataset(int channels, int height, int width, byte[][] images, int[] labels, int? failingIndex = null)
    {
        Channels = channels;
        Height = height;
        Width = width;
        _images = images;
        _labels = labels;
        FailingIndex = failingIndex;
        ClassNames = Enumerable.Range(0, labels.Max() + 1).Select(c => "class" + c).ToArray();
        Normalization = NormalizationStatistics.ImageNetFor(channels);
    }

    public int Count => _images.Length;

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int ClassCount => ClassNames.Count;

    public IReadOnlyList<string> ClassNames { get; }

    public NormalizationStatistics Normalization { get; }

    public int? FailingIndex { get; }

    /// <summary>Images of uniform random bytes with labels index mod classes.</summary>
    public static InMemoryDataset Random(int count, int channels, int height, int width, int seed, int classes = 5)
    {
        var random = new Random(seed);
        var images = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            images[i] = new byte[channels * height * width];
            random.NextBytes(images[i]);
        }
        return new InMemoryDataset(channels, height, width, images, Enumerable.Range(0, count).Select(i => i % classes).ToArray());
    }

    /// <summary>Image i is constant: channel c holds <see cref="EncodedValue"/>(i, c). Labels are i mod 7.</summary>
    public static InMemoryDataset IndexEncoding(int count, int channels, int height, int width)
    {
        var images = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            images[i] = new byte[channels * height * width];
            for (int c = 0; c < channels; c++) images[i].AsSpan(c * height * width, height * width).Fill(EncodedValue(i, c));
        }
        return new InMemoryDataset(channels, height, width, images, Enumerable.Range(0, count).Select(i => i % 7).ToArray());
    }

    // Below 128, so a solarize would show; distinct for every (index, channel) of up to 40 images.
    public static byte EncodedValue(int index, int channel) => (byte)(1 + index + 40 * channel);

    public InMemoryDataset FailingAt(int index) => new(Channels, Height, Width, _images, _labels, index);

    public int Label(int index) => _labels[index];

    public void ReadImage(int index, Span<byte> pixels)
    {
        if (index == FailingIndex) throw new DatasetException("memory/" + index + ".png", "corrupt image data: test failure");
        _images[index].CopyTo(pixels);
    }
}
