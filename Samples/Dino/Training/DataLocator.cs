using System.IO;
using DinoCompiled.Data;

namespace DinoCompiled.Cli;

/// <summary>
/// Finds the training and evaluation sets a <c>--data</c> path names: Fashion-MNIST-style IDX files (train-* and t10k-*),
/// an image folder with <c>train/</c> and <c>val/</c> (or <c>test/</c>) sub-folders of class folders, or a plain folder
/// of unlabeled images (every image under it, recursively; no evaluation set; its normalization statistics measured on
/// a sample). Without <c>--data</c>, the Fashion-MNIST subset bundled in the repository.
/// </summary>
public static class DataLocator
{
    public const string BundledSubset = "data/fashion-mnist-subset";

    /// <summary>Images of an unlabeled folder read to measure its normalization statistics.</summary>
    public const int NormalizationSample = 1000;

    /// <summary>As <see cref="Open"/>, for a command that needs labels: an unlabeled folder is a one-line error naming <paramref name="option"/>.</summary>
    public static (IImageDataset Train, IImageDataset Test, string Description) OpenLabelled(string command, string option, string? path, int channels, int imageSize,
        UnreadableImagePolicy policy, System.IO.TextWriter log, long maxPixels = ImageFolderOptions.DefaultMaxPixels)
    {
        var (train, test, description) = Open(path, channels, imageSize, policy, log, maxPixels);
        return test is null
            ? throw new CliException($"{command}: {option} '{path}' is a folder of unlabeled images; this needs labelled data (IDX files, or train/ and val/ class folders)")
            : (train, test, description);
    }

    /// <summary>The sets <paramref name="path"/> names; <c>Test</c> is null for a folder of unlabeled images.</summary>
    public static (IImageDataset Train, IImageDataset? Test, string Description) Open(string? path, int channels, int imageSize, UnreadableImagePolicy policy, System.IO.TextWriter log,
        long maxPixels = ImageFolderOptions.DefaultMaxPixels)
    {
        string directory = path ?? FindBundled() ?? throw new CliException($"no --data given and the bundled subset '{BundledSubset}' was not found above {Directory.GetCurrentDirectory()}");
        if (!Directory.Exists(directory)) throw new CliException($"--data: no directory '{directory}'");
        try
        {
            if (Directory.GetFiles(directory, "train-images-idx3-ubyte*").Length > 0)
            {
                var train = FashionMnist.Open(directory, DatasetSplit.Train);
                var test = FashionMnist.Open(directory, DatasetSplit.Test);
                return (train, test, $"{directory} (IDX: {train.Count:N0} train, {test.Count:N0} test images)");
            }
            string trainRoot = Path.Combine(directory, "train");
            string testRoot = Directory.Exists(Path.Combine(directory, "val")) ? Path.Combine(directory, "val") : Path.Combine(directory, "test");
            var options = new ImageFolderOptions
            {
                Channels = channels, Height = imageSize, Width = imageSize, UnreadablePolicy = policy, MaxPixels = maxPixels,
                OnUnreadableImage = image => log.WriteLine($"dino: skipping unreadable image {image}"),
            };
            if (!Directory.Exists(trainRoot) || !Directory.Exists(testRoot))
            {
                var files = ImageFolderDataset.ImageFilesUnder(directory);
                if (files.Count == 0)
                    throw new CliException($"--data: '{directory}' holds no Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz]), no train/ and val/ (or test/) image folders and no images ({ImageFolderDataset.FormatNames})");
                var unlabeled = ImageFolderDataset.OpenFiles(directory, files, options);
                // Photos of the user's own are not ImageNet: their own statistics, as DINO's normalization intends.
                var measured = NormalizationStatistics.Measure(unlabeled, NormalizationSample);
                return (new DatasetSample(unlabeled, unlabeled.Count, measured), null,
                        $"{directory} (unlabeled image folder: {unlabeled.Count:N0} images; normalization {measured} measured on {System.Math.Min(NormalizationSample, unlabeled.Count):N0})");
            }
            var folderTrain = ImageFolderDataset.Open(trainRoot, options);
            var folderTest = ImageFolderDataset.Open(testRoot, options);
            return (folderTrain, folderTest, $"{directory} (image folders: {folderTrain.Count:N0} train, {folderTest.Count:N0} test images, {folderTrain.ClassCount} classes)");
        }
        catch (DatasetException exception)
        {
            throw new CliException(exception.Message);
        }
    }

    private static string? FindBundled()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), System.AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, BundledSubset))) return Path.Combine(dir.FullName, BundledSubset);
        return null;
    }
}
