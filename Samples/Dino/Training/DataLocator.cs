using System.IO;
using DinoCompiled.Data;

namespace DinoCompiled.Cli;

/// <summary>
/// Finds the training and evaluation sets a <c>--data</c> path names: Fashion-MNIST-style IDX files (train-* and t10k-*),
/// or an image folder with <c>train/</c> and <c>val/</c> (or <c>test/</c>) sub-folders of class folders. Without
/// <c>--data</c>, the Fashion-MNIST subset bundled in the repository.
/// </summary>
public static class DataLocator
{
    public const string BundledSubset = "data/fashion-mnist-subset";

    public static (IImageDataset Train, IImageDataset Test, string Description) Open(string? path, int channels, int imageSize, UnreadableImagePolicy policy, System.IO.TextWriter log)
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
            if (!Directory.Exists(trainRoot) || !Directory.Exists(testRoot))
                throw new CliException($"--data: '{directory}' holds neither Fashion-MNIST IDX files (train-images-idx3-ubyte[.gz]) nor train/ and val/ (or test/) image folders");
            var options = new ImageFolderOptions
            {
                Channels = channels, Height = imageSize, Width = imageSize, UnreadablePolicy = policy,
                OnUnreadableImage = image => log.WriteLine($"dino: skipping unreadable image {image}"),
            };
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
