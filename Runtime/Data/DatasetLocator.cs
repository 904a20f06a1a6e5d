using System;
using System.IO;

namespace DinoCompiled.Data;

/// <summary>
/// Opens what a data folder holds: Fashion-MNIST-style IDX files (train-* and t10k-*), an image folder with
/// <c>train/</c> and <c>val/</c> (or <c>test/</c>) sub-folders of class folders, or a plain folder of unlabeled images
/// (every image under it, recursively; no test set; its normalization statistics measured on a sample, since a user's
/// photos are not ImageNet).
/// </summary>
public static class DatasetLocator
{
    /// <summary>Images of an unlabeled folder read to measure its normalization statistics.</summary>
    public const int NormalizationSample = 1000;

    /// <summary>
    /// The sets <paramref name="directory"/> holds, decoded to <paramref name="channels"/> channels at
    /// <paramref name="imageSize"/> for folders; <c>Test</c> is null for a folder of unlabeled images.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="channels">Channels images are converted to.</param>
    /// <param name="imageSize">Height and width images are decoded at (the global crop; the crop pipeline resizes further).</param>
    /// <param name="options">How image folders decode (unreadable files, pixel limit); its channels and size are replaced.</param>
    /// <exception cref="DatasetException">The folder is missing or holds none of these, or a file in it is malformed.</exception>
    public static (IImageDataset Train, IImageDataset? Test, string Description) Open(string directory, int channels, int imageSize, ImageFolderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DatasetException(directory, "no such directory");
        if (Directory.GetFiles(directory, "train-images-idx3-ubyte*").Length > 0)
        {
            var train = FashionMnist.Open(directory, DatasetSplit.Train);
            var test = FashionMnist.Open(directory, DatasetSplit.Test);
            return (train, test, $"{directory} (IDX: {train.Count:N0} train, {test.Count:N0} test images)");
        }
        var folderOptions = (options ?? new ImageFolderOptions { Height = imageSize, Width = imageSize }) with { Channels = channels, Height = imageSize, Width = imageSize };
        string trainRoot = Path.Combine(directory, "train");
        string testRoot = Directory.Exists(Path.Combine(directory, "val")) ? Path.Combine(directory, "val") : Path.Combine(directory, "test");
        if (!Directory.Exists(trainRoot) || !Directory.Exists(testRoot))
        {
            var files = ImageFolderDataset.ImageFilesUnder(directory);
            if (files.Count == 0)
                throw new DatasetException(directory, $"holds no Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz]), no train/ and val/ (or test/) image folders and no images ({ImageFolderDataset.FormatNames})");
            var unlabeled = ImageFolderDataset.OpenFiles(directory, files, folderOptions);
            var measured = NormalizationStatistics.Measure(unlabeled, NormalizationSample);
            return (new DatasetSample(unlabeled, unlabeled.Count, measured), null,
                    $"{directory} (unlabeled image folder: {unlabeled.Count:N0} images; normalization {measured} measured on {Math.Min(NormalizationSample, unlabeled.Count):N0})");
        }
        var folderTrain = ImageFolderDataset.Open(trainRoot, folderOptions);
        var folderTest = ImageFolderDataset.Open(testRoot, folderOptions);
        return (folderTrain, folderTest, $"{directory} (image folders: {folderTrain.Count:N0} train, {folderTest.Count:N0} test images, {folderTrain.ClassCount} classes)");
    }
}
