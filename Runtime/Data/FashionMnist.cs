using System;
using System.Collections.Generic;
using System.IO;

namespace DinoCompiled.Data;

/// <summary>
/// Fashion-MNIST (Zalando, MIT licence): 70,000 gray 28×28 images of 10 kinds of clothing, in MNIST's IDX files
/// (<c>train-images-idx3-ubyte[.gz]</c>, <c>train-labels-idx1-ubyte[.gz]</c>, <c>t10k-...</c>). The same reader opens
/// the full set (Debian's <c>dataset-fashion-mnist</c> puts it in <see cref="InstalledDirectory"/>) and the subset
/// bundled with the repository (<see cref="BundledSubsetDirectory"/>).
/// </summary>
public static class FashionMnist
{
    /// <summary>Mean pixel value of the training images on the [0, 1] scale.</summary>
    public const float Mean = 0.2860f;

    /// <summary>Standard deviation of the training pixels on the [0, 1] scale.</summary>
    public const float Std = 0.3530f;

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The bundled subset's folder, relative to the repository root.</summary>
    public const string BundledSubsetDirectory = "data/fashion-mnist-subset";

    /// <summary><see cref="Mean"/> and <see cref="Std"/> as normalization statistics.</summary>
    public static NormalizationStatistics Normalization { get; } = new([Mean], [Std]);

    /// <summary>The 10 classes, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Opens the <paramref name="split"/> part of the IDX files in <paramref name="directory"/> (each file with or without <c>.gz</c>).</summary>
    /// <exception cref="DatasetException">The directory or a file is missing, or a file is malformed.</exception>
    public static IdxDataset Open(string directory, DatasetSplit split)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DatasetException(directory, "no such directory");
        string prefix = split switch
        {
            DatasetSplit.Train => "train",
            DatasetSplit.Test => "t10k",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
        };
        string images = Find(directory, prefix + "-images-idx3-ubyte");
        string labels = Find(directory, prefix + "-labels-idx1-ubyte");
        return IdxDataset.Open(images, labels, ClassNames, Normalization);
    }

    // The plain file when both exist: it reads faster, and a user who unpacked the files meant them to be used.
    private static string Find(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        string gzip = plain + ".gz";
        if (File.Exists(gzip)) return gzip;
        throw new DatasetException(gzip, $"no such file (nor {name} without .gz)");
    }
}
