using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Data;

/// <summary>
/// A batch of an <see cref="EvaluationLoader"/>: images [Count, C, S, S] normalized, whole, in dataset order from
/// <see cref="Start"/>, and their labels. The buffer is the loader's: valid until its next <see cref="EvaluationLoader.ReadBatch"/>.
/// </summary>
public sealed unsafe class EvaluationBatch
{
    private readonly NativeBuffer _images;
    private readonly int[] _labels;

    internal EvaluationBatch(int capacity, int channels, int imageSize)
    {
        Channels = channels;
        ImageSize = imageSize;
        _images = new NativeBuffer((long)capacity * channels * imageSize * imageSize);
        _labels = new int[capacity];
    }

    /// <summary>Dataset index of the first image.</summary>
    public int Start { get; internal set; }

    /// <summary>Images in this batch (the last batch of a dataset may hold fewer than the batch size).</summary>
    public int Count { get; internal set; }

    /// <summary>Channels (C).</summary>
    public int Channels { get; }

    /// <summary>Side of each image (S).</summary>
    public int ImageSize { get; }

    /// <summary>Floats per image: C·S².</summary>
    public int ImageLength => Channels * ImageSize * ImageSize;

    /// <summary>The images, [Count, C, S, S].</summary>
    public float* Images => _images.Data;

    /// <summary>The images as a span of Count·C·S² floats.</summary>
    public Span<float> ImageSpan => new(_images.Data, checked(Count * ImageLength));

    /// <summary>The labels, [Count].</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, Count);

    internal Span<int> LabelStorage => _labels;

    internal Span<float> WritableImage(int position) => new(_images.Data + (long)position * ImageLength, ImageLength);

    internal void FreeBuffer() => _images.Dispose();
}
