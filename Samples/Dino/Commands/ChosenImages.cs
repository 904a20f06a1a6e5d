using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Data;
using DinoCompiled.Plotting;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// The images a looking command (<c>attention</c>, <c>pca</c>) works on: <c>--image F</c> or every image under
/// <c>--images DIR</c>, decoded at the model's global crop with its channels, normalized with <c>--mean</c>/<c>--std</c>
/// (comma-separated per channel; default ImageNet's, as the reference's visualizations use).
/// </summary>
public static class ChosenImages
{
    /// <summary>The path options of a command that draws a picture of chosen images with a checkpoint's teacher.</summary>
    public static readonly IReadOnlyDictionary<string, PathKind> PathOptions = new Dictionary<string, PathKind>
    {
        ["--checkpoint"] = PathKind.InputFile, ["--image"] = PathKind.InputFile, ["--images"] = PathKind.InputDirectory, ["--out"] = PathKind.OutputFile,
        ["--models"] = PathKind.InputFile,
    };

    /// <summary>Opens the images; a missing choice, a bad statistic or an unreadable file is one line.</summary>
    public static ImageFolderDataset Open(string command, CommandOptions args, int channels, int crop, int? limit = null)
    {
        if (args.Has("--image") == args.Has("--images")) throw new CliException($"{command}: give one of --image FILE or --images DIR");
        string root = args.Has("--image") ? args.Text("--image") : args.Text("--images");
        IReadOnlyList<string> files = args.Has("--image") ? [root] : ImageFolderDataset.ImageFilesUnder(root);
        if (files.Count == 0) throw new CliException($"{command}: --images: '{root}' holds no images ({ImageFolderDataset.FormatNames})");
        if (limit is int most && files.Count > most) files = files.Take(most).ToArray();
        var normalization = Statistics(command, args, channels);
        try
        {
            return ImageFolderDataset.OpenFiles(root, files, new ImageFolderOptions { Channels = channels, Height = crop, Width = crop, Normalization = normalization });
        }
        catch (DatasetException exception)
        {
            throw new CliException($"{command}: {exception.Message}");
        }
    }

    public static NormalizationStatistics Statistics(string command, CommandOptions args, int channels)
    {
        if (args.Has("--mean") != args.Has("--std")) throw new CliException($"{command}: give --mean and --std together");
        if (!args.Has("--mean")) return NormalizationStatistics.ImageNetFor(channels);
        float[] Parse(string option)
        {
            string text = args.Text(option);
            var values = text.Split(',').Select(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && float.IsFinite(x) ? x : float.NaN).ToArray();
            if (values.Length != channels || values.Any(float.IsNaN) || (option == "--std" && values.Any(v => v <= 0)))
                throw new CliException($"{command}: {option} takes {channels} comma-separated number(s){(option == "--std" ? " above 0" : "")}, one per channel, not '{text}'");
            return values;
        }
        return new NormalizationStatistics(Parse("--mean"), Parse("--std"));
    }

    /// <summary>
    /// Runs the teacher's compiled forward over <paramref name="images"/> in batches of <see cref="DenseFeatureExtractor{TModel}.MaxBatch"/>;
    /// after each batch, <paramref name="each"/> gets every image of it: its index in the set, its row in the batch and
    /// its pixels (a new array each).
    /// </summary>
    public static unsafe void Forward<TModel>(ImageFolderDataset images, Ptr teacher, DenseFeatureExtractor<TModel> dense, Action<int, int, byte[]> each)
        where TModel : ICompiledDinoModel
    {
        using var loader = new EvaluationLoader(images, dense.Crop, dense.MaxBatch, threads: 2);
        for (int b = 0; b < loader.BatchCount; b++)
        {
            var batch = loader.ReadBatch(b);
            dense.Run(teacher, new Ptr(batch.Images), batch.Count);
            for (int n = 0; n < batch.Count; n++)
            {
                var pixels = new byte[images.Channels * images.Height * images.Width];
                images.ReadImage(batch.Start + n, pixels);
                each(batch.Start + n, n, pixels);
            }
        }
    }

    /// <summary>Writes a picture, a failure as one line naming the file.</summary>
    public static void Save(string command, PixelCanvas canvas, string path)
    {
        try
        {
            canvas.Save(path);
        }
        catch (IOException exception)
        {
            throw new CliException(command + ": " + exception.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>A short name for an image in a picture's labels: its file name without extension.</summary>
    public static string Label(ImageFolderDataset images, int index) => Path.GetFileNameWithoutExtension(images.FilePath(index));
}
