using System;
using System.Collections.Generic;

namespace DinoCompiled.Data;

/// <summary>
/// At most <c>count</c> images of a dataset, evenly spaced over it (image i·N / count for i &lt; count), and optionally
/// under other normalization statistics: the fixed sample a label-free monitor reads every epoch, or a labelled
/// evaluation set normalized as the training images are.
/// </summary>
public sealed class DatasetSample : IImageDataset
{
    private readonly IImageDataset _source;
    private readonly int[] _indices;

    /// <param name="source">The dataset sampled.</param>
    /// <param name="count">The most images kept; all of them when the dataset has fewer.</param>
    /// <param name="normalization">Statistics to normalize with instead of the source's; null for the source's.</param>
    public DatasetSample(IImageDataset source, int count, NormalizationStatistics? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (normalization is not null && normalization.Channels != source.Channels)
            throw new ArgumentException($"The images have {source.Channels} channels but the normalization has {normalization.Channels}.", nameof(normalization));
        _source = source;
        int kept = Math.Min(count, source.Count);
        _indices = new int[kept];
        for (int i = 0; i < kept; i++) _indices[i] = (int)((long)i * source.Count / kept);
        Normalization = normalization ?? source.Normalization;
    }

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public int Channels => _source.Channels;

    /// <inheritdoc/>
    public int Height => _source.Height;

    /// <inheritdoc/>
    public int Width => _source.Width;

    /// <inheritdoc/>
    public int ClassCount => _source.ClassCount;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => _source.ClassNames;

    /// <inheritdoc/>
    public NormalizationStatistics Normalization { get; }

    /// <summary>The source's index of sample image <paramref name="index"/>.</summary>
    public int SourceIndex(int index) => _indices[index];

    /// <inheritdoc/>
    public int Label(int index) => _source.Label(_indices[index]);

    /// <inheritdoc/>
    public void ReadImage(int index, Span<byte> pixels) => _source.ReadImage(_indices[index], pixels);
}
