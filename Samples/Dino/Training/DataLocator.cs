using System.IO;
using DinoCompiled.Data;

namespace DinoCompiled.Cli;

/// <summary>
/// The data a <c>--data</c> path names, opened by <see cref="DatasetLocator"/> (IDX files, class folders or unlabeled
/// images), with its errors as one-line command-line errors; without <c>--data</c>, the Fashion-MNIST subset bundled in
/// the repository.
/// </summary>
public static class DataLocator
{
    public const string BundledSubset = "data/fashion-mnist-subset";

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
        string directory = path ?? Bundled();
        if (!Directory.Exists(directory)) throw new CliException($"--data: no directory '{directory}'");
        var options = new ImageFolderOptions
        {
            Channels = channels, Height = imageSize, Width = imageSize, UnreadablePolicy = policy, MaxPixels = maxPixels,
            OnUnreadableImage = image => log.WriteLine($"dino: skipping unreadable image {image}"),
        };
        try
        {
            return DatasetLocator.Open(directory, channels, imageSize, options);
        }
        catch (DatasetException exception)
        {
            throw new CliException(exception.FilePath == directory ? "--data: " + exception.Message : exception.Message);
        }
    }

    /// <summary>The bundled subset, found above the working directory or the program; a one-line error when it is not there.</summary>
    public static string Bundled() =>
        FindBundled() ?? throw new CliException($"no --data given and the bundled subset '{BundledSubset}' was not found above {Directory.GetCurrentDirectory()}");

    private static string? FindBundled()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), System.AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, BundledSubset))) return Path.Combine(dir.FullName, BundledSubset);
        return null;
    }
}
