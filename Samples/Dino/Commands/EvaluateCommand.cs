using System;
using System.Collections.Generic;
using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Evaluation;
using DinoCompiled.Models;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino eval knn --checkpoint C [--data D] [--k 20] [--t 0.07]</c> and
/// <c>dino features --checkpoint C [--data D] --split train|test [--tokens cls|patch|all] [--blocks LIST] --out F.npy</c>:
/// the teacher backbone of a training checkpoint, on whole images at the global crop size, as k-NN accuracy or as
/// features in a NumPy file (CLS, patch or all tokens, of the last block or of chosen blocks, through the final norm).
/// </summary>
public sealed class EvaluateCommand : IDinoModelVisitor
{
    /// <summary>The options of <c>dino eval knn</c>.</summary>
    public static readonly CommandSpec KnnSpec = new("eval knn", valued: ["--k", "--t", "--threads", "--workers", "--progress"], flags: [],
        paths: new Dictionary<string, PathKind> { ["--checkpoint"] = PathKind.InputFile, ["--data"] = PathKind.InputDirectory, ["--models"] = PathKind.InputFile });

    /// <summary>The options of <c>dino features</c>.</summary>
    public static readonly CommandSpec FeaturesSpec = new("features", valued: ["--split", "--tokens", "--blocks", "--threads", "--workers", "--progress"], flags: [],
        paths: new Dictionary<string, PathKind>
        {
            ["--checkpoint"] = PathKind.InputFile, ["--data"] = PathKind.InputDirectory, ["--out"] = PathKind.OutputFile, ["--models"] = PathKind.InputFile,
        });

    private readonly CommandOptions _args;
    private readonly bool _features;
    private readonly TextWriter _output, _error;
    private readonly ProgressDisplay _progress;

    private EvaluateCommand(CommandOptions args, bool features, TextWriter output, TextWriter error)
    {
        _error = error;
        _progress = ProgressDisplay.ForStandardError(error, ProgressDisplay.ParseMode(features ? "features" : "eval knn", args.Has("--progress") ? args.Text("--progress") : null));
        _args = args;
        _features = features;
        _output = output;
    }

    public static int RunKnn(string[] args, TextWriter output, TextWriter error) => Run(KnnSpec, args, features: false, output, error);

    public static int RunFeatures(string[] args, TextWriter output, TextWriter error) => Run(FeaturesSpec, args, features: true, output, error);

    private static int Run(CommandSpec spec, string[] args, bool features, TextWriter output, TextWriter error)
    {
        string name = spec.Name;
        var options = CommandOptions.Parse(spec, args);
        if (features) options.Text("--out");
        CheckpointModel.Visit(name, options, new EvaluateCommand(options, features, output, error));
        return DinoCli.Success;
    }

    public unsafe void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        var a = description.Architecture;
        CpuParallel.ThreadCount = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
        int workers = _args.Int("--workers", 2, minimum: 1);
        using var teacher = CheckpointModel.LoadTeacher<TModel>(_args.Text("--checkpoint"));
        var (train, test, dataDescription) = DataLocator.Open(_args.Has("--data") ? _args.Text("--data") : null, a.Channels, a.GlobalCrop, UnreadableImagePolicy.Stop, _error);
        using var extractor = new FeatureExtractor<TModel>(256);

        float[] Features(IImageDataset dataset, string split, out int[] labels)
        {
            using var images = new LoaderEvaluationImages(dataset, a.GlobalCrop, 256, workers);
            var features = new float[(long)dataset.Count * extractor.Dimension];
            foreach (var (start, count, batch) in images.Batches(256))
            {
                extractor.Run(teacher.Ptr, batch, count, features.AsSpan(start * extractor.Dimension, count * extractor.Dimension));
                _progress.Report(split + " features", start + count, dataset.Count, "images");
            }
            _progress.Finish();
            labels = images.LabelArray;
            return features;
        }

        if (_features)
        {
            string split = _args.Text("--split", "train");
            var dataset = split switch
            {
                "train" => train,
                "test" => test ?? throw new CliException($"features: --split test: '{_args.Text("--data")}' is a folder of unlabeled images, which has one split: train"),
                _ => throw new CliException($"features: --split takes 'train' or 'test', not '{split}'"),
            };
            var selection = TokenSelection.Parse(_args.Text("--tokens", "cls"), _args.Has("--blocks") ? _args.Text("--blocks") : null, a.Depth);
            string path = _args.Text("--out");
            using var images = new LoaderEvaluationImages(dataset, a.GlobalCrop, 256, workers);
            using var dense = new DenseFeatureExtractor<TModel>(256);
            var shape = selection.Shape(dataset.Count, dense.Tokens, dense.Dimension);
            try
            {
                using var file = new NpyFileWriter(path, shape);
                foreach (var (start, count, batch) in images.Batches(256))
                {
                    dense.Run(teacher.Ptr, batch, count);
                    selection.Write(dense, file);
                    _progress.Report("features", start + count, dataset.Count, "images");
                }
                _progress.Finish();
                file.Commit();
            }
            catch (IOException exception)
            {
                throw new CliException("features: " + exception.Message.ReplaceLineEndings(" "));
            }
            _output.WriteLine($"{path}: float32 [{string.Join(", ", shape)}] teacher {selection.Describe()} of the {split} split of {dataDescription}");
            return;
        }

        int k = _args.Int("--k", KnnClassifier.DefaultK, minimum: 1);
        double t = _args.Double("--t", KnnClassifier.DefaultTemperature);
        if (test is null) throw new CliException($"eval knn: --data '{_args.Text("--data")}' is a folder of unlabeled images; k-NN needs labelled data (IDX files, or train/ and val/ class folders)");
        var trainFeatures = Features(train, "train", out var trainLabels);
        var testFeatures = Features(test, "test", out var testLabels);
        var result = KnnClassifier.Evaluate(trainFeatures, trainLabels, testFeatures, testLabels, train.ClassCount, k, t);
        _output.WriteLine($"{description.Name} teacher on {dataDescription}: weighted {k}-NN (T = {t}) top-1 {result.Top1:P2}" +
                          (result.Top5 is double top5 ? $", top-5 {top5:P2}" : ""));
    }
}
