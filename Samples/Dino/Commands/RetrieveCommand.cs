using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Retrieval;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino retrieve --checkpoint C --gallery DIR --query F [--top 8] [--out sheet.png] [--cache FILE]</c>: the gallery
/// images nearest the query by cosine similarity of the teacher's CLS features, as text and as a contact sheet
/// (<see cref="ContactSheet"/>). The gallery's features are cached beside it (<c>DIR.dino-features.safetensors</c>)
/// and reused while the checkpoint, the preprocessing and the gallery's files are unchanged.
/// </summary>
public sealed class RetrieveCommand : IDinoModelVisitor
{
    /// <summary>The options of <c>dino retrieve</c>.</summary>
    public static readonly CommandSpec Spec = new("retrieve", valued: ["--top", "--mean", "--std", "--threads"], flags: [],
        paths: new Dictionary<string, PathKind>
        {
            ["--checkpoint"] = PathKind.InputFile, ["--gallery"] = PathKind.InputDirectory, ["--query"] = PathKind.InputFile,
            ["--out"] = PathKind.OutputFile, ["--cache"] = PathKind.OutputFile, ["--models"] = PathKind.InputFile,
        });

    private readonly CommandOptions _args;
    private readonly TextWriter _output;

    private RetrieveCommand(CommandOptions args, TextWriter output) => (_args, _output) = (args, output);

    public static int Run(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(Spec, args);
        options.Text("--gallery");
        options.Text("--query");
        CheckpointModel.Visit("retrieve", options, new RetrieveCommand(options, output));
        return DinoCli.Success;
    }

    /// <summary>Where the features of <paramref name="gallery"/> are cached by default: a file beside the folder.</summary>
    public static string DefaultCachePath(string gallery) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(gallery)) + ".dino-features.safetensors";

    public unsafe void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var a = TModel.Description.Architecture;
        CpuParallel.ThreadCount = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
        int top = _args.Int("--top", 8, minimum: 1);
        string checkpoint = _args.Text("--checkpoint"), galleryRoot = _args.Text("--gallery");
        using var teacher = CheckpointModel.LoadTeacher<TModel>(checkpoint);
        using var extractor = new FeatureExtractor<TModel>(64);
        int d = extractor.Dimension;

        var files = ImageFolderDataset.ImageFilesUnder(galleryRoot);
        if (files.Count == 0) throw new CliException($"retrieve: --gallery: '{galleryRoot}' holds no images ({DinoCompiled.Data.ImageFolderDataset.FormatNames})");
        var gallery = Open(galleryRoot, files, a);
        string cache = _args.Text("--cache", DefaultCachePath(galleryRoot));
        string key = GalleryFeatureCache.Key(checkpoint, files, $"{TModel.Description.Name} crop {a.GlobalCrop} {gallery.Normalization}");
        var features = GalleryFeatureCache.TryLoad(cache, key, files.Count, d);
        bool cached = features is not null;
        if (features is null)
        {
            features = Features(extractor, teacher.Ptr, gallery, a.GlobalCrop);
            try
            {
                GalleryFeatureCache.Save(cache, key, files, features, d);
            }
            catch (IOException exception)
            {
                throw new CliException("retrieve: --cache: " + exception.Message.ReplaceLineEndings(" "));
            }
        }
        string queryPath = _args.Text("--query");
        var query = Open(queryPath, [queryPath], a);
        var queryFeatures = Features(extractor, teacher.Ptr, query, a.GlobalCrop);
        var nearest = CosineRanking.Nearest(queryFeatures, features, d, top);

        _output.WriteLine($"{queryPath}: the {nearest.Length} nearest of {files.Count} gallery images (teacher CLS, cosine; gallery features {(cached ? "from" : "written to")} {cache})");
        for (int k = 0; k < nearest.Length; k++)
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {k + 1,3}  {nearest[k].Similarity,8:F4}  {files[nearest[k].Index]}"));
        if (!_args.Has("--out")) return;

        var sheet = new ContactSheet(a.Channels, a.GlobalCrop);
        var pixels = new byte[a.Channels * a.GlobalCrop * a.GlobalCrop];
        query.ReadImage(0, pixels);
        sheet.Add((byte[])pixels.Clone(), "QUERY");
        for (int k = 0; k < nearest.Length; k++)
        {
            gallery.ReadImage(nearest[k].Index, pixels);
            sheet.Add((byte[])pixels.Clone(), string.Create(CultureInfo.InvariantCulture, $"{k + 1} {nearest[k].Similarity:F3}"));
        }
        string path = _args.Text("--out");
        var canvas = sheet.Render();
        ChosenImages.Save("retrieve", canvas, path);
        _output.WriteLine($"{path}: {canvas.Width} x {canvas.Height} PNG, the query and its {nearest.Length} neighbours");
    }

    private ImageFolderDataset Open(string root, IReadOnlyList<string> files, ArchitectureInfo a)
    {
        var normalization = ChosenImages.Statistics("retrieve", _args, a.Channels);
        try
        {
            return ImageFolderDataset.OpenFiles(root, files, new ImageFolderOptions { Channels = a.Channels, Height = a.GlobalCrop, Width = a.GlobalCrop, Normalization = normalization });
        }
        catch (DatasetException exception)
        {
            throw new CliException($"retrieve: {exception.Message}");
        }
    }

    private static unsafe float[] Features<TModel>(FeatureExtractor<TModel> extractor, Ptr teacher, ImageFolderDataset images, int crop) where TModel : ICompiledDinoModel
    {
        using var loader = new EvaluationLoader(images, crop, extractor.MaxBatch, threads: 2);
        var features = new float[(long)images.Count * extractor.Dimension];
        for (int b = 0; b < loader.BatchCount; b++)
        {
            var batch = loader.ReadBatch(b);
            extractor.Run(teacher, new Ptr(batch.Images), batch.Count, features.AsSpan(batch.Start * extractor.Dimension, batch.Count * extractor.Dimension));
        }
        return features;
    }
}
