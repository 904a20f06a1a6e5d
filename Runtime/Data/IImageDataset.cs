using System;
using System.Collections.Generic;

namespace DinoCompiled.Data;

/// <summary>
/// A labelled set of images of one fixed size, read as uint8 pixels in the layout [channels, height, width].
/// Reads may run concurrently from several threads (the loaders read from their workers).
/// </summary>
public interface IImageDataset
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Channels per image: 1 (gray) or 3 (RGB).</summary>
    int Channels { get; }

    /// <summary>Height of every image (for image folders, the height images are resized to).</summary>
    int Height { get; }

    /// <summary>Width of every image (for image folders, the width images are resized to).</summary>
    int Width { get; }

    /// <summary>Number of classes; every label is in [0, ClassCount).</summary>
    int ClassCount { get; }

    /// <summary>The classes' names, indexed by label.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Per-channel mean and standard deviation that crops and evaluation images are normalized with, unless the caller
    /// gives others (Fashion-MNIST's published values, ImageNet's for image folders).
    /// </summary>
    NormalizationStatistics Normalization { get; }

    /// <summary>The label of image <paramref name="index"/>.</summary>
    int Label(int index);

    /// <summary>Writes image <paramref name="index"/> into <paramref name="pixels"/> (length Channels·Height·Width).</summary>
    void ReadImage(int index, Span<byte> pixels);
}
