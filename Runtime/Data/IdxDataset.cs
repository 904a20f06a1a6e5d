using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DinoCompiled.Data;

/// <summary>
/// An image set in the IDX format of MNIST and Fashion-MNIST: an <c>idx3</c> file of gray images and an <c>idx1</c>
/// file of labels, each plain or gzip-compressed. Both are read whole into memory when opened (Fashion-MNIST's training
/// images are 47 MB), so reads are copies and safe from any number of threads.
/// </summary>
public sealed class IdxDataset : IImageDataset
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private IdxDataset(string imagesPath, string labelsPath, byte[] pixels, byte[] labels, int height, int width,
        IReadOnlyList<string> classNames, NormalizationStatistics normalization)
    {
        ImagesPath = imagesPath;
        LabelsPath = labelsPath;
        _pixels = pixels;
        _labels = labels;
        Height = height;
        Width = width;
        ClassNames = classNames;
        Normalization = normalization;
    }

    /// <summary>The image file.</summary>
    public string ImagesPath { get; }

    /// <summary>The label file.</summary>
    public string LabelsPath { get; }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public int Channels => 1;

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int ClassCount => ClassNames.Count;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public NormalizationStatistics Normalization { get; }

    /// <summary>
    /// Reads and validates an image file and its label file. Without <paramref name="classNames"/> the classes are
    /// named "0", "1", ... up to the largest label; without <paramref name="normalization"/> the mean and std are
    /// measured on these images.
    /// </summary>
    /// <exception cref="DatasetException">A file is missing or malformed, the counts disagree, or a label names no class.</exception>
    public static IdxDataset Open(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null, NormalizationStatistics? normalization = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        if (normalization is not null && normalization.Channels != 1)
            throw new ArgumentException($"IDX images have 1 channel; the normalization given has {normalization.Channels}.", nameof(normalization));

        var images = IdxFile.Read(imagesPath, dimensionCount: 3, itemName: "images");
        var labels = IdxFile.Read(labelsPath, dimensionCount: 1, itemName: "labels");
        int imageCount = images.Dimensions[0];
        if (labels.Dimensions[0] != imageCount)
            throw new DatasetException(labelsPath, $"holds {labels.Dimensions[0]} labels but {Path.GetFileName(imagesPath)} holds {imageCount} images");

        byte[] labelBytes = labels.Data;
        int largestLabel = labelBytes.Max();
        var names = classNames?.ToArray()
            ?? Enumerable.Range(0, largestLabel + 1).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (names.Length == 0) throw new ArgumentException("A dataset needs at least one class name.", nameof(classNames));
        int outside = Array.FindIndex(labelBytes, l => l >= names.Length);
        if (outside >= 0)
            throw new DatasetException(labelsPath, $"label {labelBytes[outside]} at index {outside} is outside the {names.Length} classes (0..{names.Length - 1})");

        return new IdxDataset(imagesPath, labelsPath, images.Data, labelBytes, images.Dimensions[1], images.Dimensions[2],
            names, normalization ?? Measure(images.Data));
    }

    /// <inheritdoc/>
    public int Label(int index) => _labels[index];

    /// <inheritdoc/>
    public void ReadImage(int index, Span<byte> pixels)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset holds {Count} images.");
        int length = Height * Width;
        if (pixels.Length != length) throw new ArgumentException($"An image is {length} bytes; the span holds {pixels.Length}.", nameof(pixels));
        _pixels.AsSpan(index * length, length).CopyTo(pixels);
    }

    // The exact mean and std of every pixel on the [0, 1] scale, from a histogram (one pass, no rounding drift).
    private static NormalizationStatistics Measure(byte[] pixels)
    {
        var histogram = new long[256];
        foreach (byte p in pixels) histogram[p]++;
        double sum = 0, sumSquares = 0;
        for (int v = 0; v < 256; v++)
        {
            double x = v / 255.0;
            sum += histogram[v] * x;
            sumSquares += histogram[v] * x * x;
        }
        double mean = sum / pixels.Length;
        double std = Math.Sqrt(Math.Max(sumSquares / pixels.Length - mean * mean, 0));
        // A constant image set has no spread; keep normalization finite.
        return new NormalizationStatistics([(float)mean], [(float)Math.Max(std, 1e-3)]);
    }
}
