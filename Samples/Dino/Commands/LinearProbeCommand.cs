using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Evaluation;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino eval linear --checkpoint C [--data D] [--last-blocks 4] [--avgpool] [--optimizer sgd|adamw] [--epochs 100]
/// [--batch 256] [--lrs L1,L2,...] [--weight-decay 0] [--val-fraction 0.1] --out probe.safetensors</c>: a linear
/// classifier on the frozen teacher's features (the reference's eval_linear.py): the CLS tokens of the last n blocks
/// through the final norm, concatenated, optionally with the average-pooled patch tokens of the last block. The features
/// are computed once by the compiled forward (images prepared on worker threads); the probe then trains on them.
/// </summary>
public sealed class LinearProbeCommand : IDinoModelVisitor
{
    /// <summary>The options of <c>dino eval linear</c>.</summary>
    public static readonly CommandSpec Spec = new("eval linear",
        valued: ["--last-blocks", "--optimizer", "--epochs", "--batch", "--lrs", "--weight-decay", "--val-fraction", "--seed", "--threads", "--workers", "--progress"],
        flags: ["--avgpool", "--no-standardize"],
        paths: new Dictionary<string, PathKind> { ["--checkpoint"] = PathKind.InputFile, ["--data"] = PathKind.InputDirectory, ["--out"] = PathKind.OutputFile, ["--models"] = PathKind.InputFile });

    private readonly CommandOptions _args;
    private readonly TextWriter _output, _error;
    private readonly ProgressDisplay _progress;

    private LinearProbeCommand(CommandOptions args, TextWriter output, TextWriter error)
    {
        (_args, _output, _error) = (args, output, error);
        _progress = ProgressDisplay.ForStandardError(error, ProgressDisplay.ParseMode("eval linear", args.Has("--progress") ? args.Text("--progress") : null));
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var options = CommandOptions.Parse(Spec, args);
        CheckpointModel.Visit("eval linear", options, new LinearProbeCommand(options, output, error));
        return DinoCli.Success;
    }

    public void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        var a = description.Architecture;
        CpuParallel.ThreadCount = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
        int workers = _args.Int("--workers", 2, minimum: 1);
        int lastBlocks = _args.Int("--last-blocks", Math.Min(4, a.Depth), minimum: 1);
        if (lastBlocks > a.Depth) throw new CliException($"eval linear: --last-blocks takes 1 to {a.Depth} for {description.Name}, not {lastBlocks}");
        bool avgpool = _args.Has("--avgpool");
        var probe = ReadOptions();

        using var teacher = CheckpointModel.LoadTeacher<TModel>(_args.Text("--checkpoint"));
        var (train, test, dataDescription) = DataLocator.OpenLabelled("eval linear", "--data", _args.Has("--data") ? _args.Text("--data") : null, a.Channels, a.GlobalCrop, UnreadableImagePolicy.Stop, _error);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var (trainFeatures, trainLabels, dim) = Features<TModel>(train, "train", teacher.Ptr, lastBlocks, avgpool, workers);
        var (testFeatures, testLabels, _) = Features<TModel>(test, "test", teacher.Ptr, lastBlocks, avgpool, workers);
        string what = $"CLS of the last {lastBlocks} block(s){(avgpool ? " + average-pooled patches" : "")}, {dim} features";
        _output.WriteLine($"dino eval linear: {description.Name} teacher on {dataDescription}: {what}, computed in {timer.Elapsed.TotalSeconds:F1} s");

        timer.Restart();
        var progress = new ProbeProgress(_progress, probe);
        var (classifier, report) = LinearProbe.Train(trainFeatures, trainLabels, dim, train.ClassCount, probe, progress);
        foreach (var (lr, accuracy) in report.Sweep)
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  lr {lr,-7:G4} validation top-1 {accuracy:P2}"));
        var result = classifier.Evaluate(testFeatures, testLabels);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"linear probe ({probe.Optimizer.ToString().ToLowerInvariant()}, lr {report.ChosenLearningRate:G4}, {probe.Epochs} epochs, trained in {timer.Elapsed.TotalSeconds:F1} s): top-1 {result.Top1:P2}") +
            (result.Top5 is double top5 ? $", top-5 {top5:P2}" : ""));
        if (!_args.Has("--out")) return;
        string path = _args.Text("--out");
        try
        {
            classifier.Save(path, new Dictionary<string, string>
            {
                ["model"] = description.Name, ["features"] = what, ["optimizer"] = probe.Optimizer.ToString(),
                ["lr"] = report.ChosenLearningRate.ToString("R", CultureInfo.InvariantCulture), ["epochs"] = probe.Epochs.ToString(CultureInfo.InvariantCulture),
                ["top1"] = result.Top1.ToString("R", CultureInfo.InvariantCulture),
            });
        }
        catch (IOException exception)
        {
            throw new CliException("eval linear: " + exception.Message.ReplaceLineEndings(" "));
        }
        _output.WriteLine($"{path}: the classifier (weight [{classifier.Classes}, {dim}], bias [{classifier.Classes}]; it takes raw features)");
    }

    private LinearProbeOptions ReadOptions()
    {
        var d = new LinearProbeOptions();
        var optimizer = _args.Text("--optimizer", "sgd") switch
        {
            "sgd" => LinearProbeOptimizer.Sgd,
            "adamw" => LinearProbeOptimizer.AdamW,
            var other => throw new CliException($"eval linear: --optimizer takes 'sgd' or 'adamw', not '{other}'"),
        };
        var lrs = d.LearningRates;
        if (_args.Has("--lrs"))
        {
            string text = _args.Text("--lrs");
            var parsed = text.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x > 0 && double.IsFinite(x) ? x : double.NaN).ToArray();
            if (parsed.Any(double.IsNaN)) throw new CliException($"eval linear: --lrs takes positive numbers, comma-separated, not '{text}'");
            lrs = [.. parsed];
        }
        double fraction = _args.Double("--val-fraction", d.ValidationFraction);
        if (fraction >= 1) throw new CliException($"eval linear: --val-fraction takes a share below 1, not {fraction}");
        return new LinearProbeOptions
        {
            Optimizer = optimizer, Epochs = _args.Int("--epochs", d.Epochs, minimum: 1), BatchSize = _args.Int("--batch", d.BatchSize, minimum: 1),
            LearningRates = lrs, WeightDecay = _args.Double("--weight-decay", d.WeightDecay), ValidationFraction = fraction,
            Standardize = !_args.Has("--no-standardize"), Seed = _args.Int("--seed", d.Seed),
        };
    }

    private (float[] Features, int[] Labels, int Dim) Features<TModel>(IImageDataset dataset, string split, Ptr teacher, int lastBlocks, bool avgpool, int workers)
        where TModel : ICompiledDinoModel
    {
        const int batch = 128;
        using var images = new LoaderEvaluationImages(dataset, TModel.Description.Architecture.GlobalCrop, batch, workers);
        using var dense = new DenseFeatureExtractor<TModel>(batch);
        int t = dense.Tokens, d = dense.Dimension, dim = d * (lastBlocks + (avgpool ? 1 : 0));
        var features = new float[(long)dataset.Count * dim];
        var tokens = new float[(long)batch * t * d];
        foreach (var (start, count, images_) in images.Batches(batch))
        {
            dense.Run(teacher, images_, count);
            for (int k = 0; k < lastBlocks; k++)
            {
                dense.NormalizedTokens(dense.Blocks - lastBlocks + k, tokens);
                for (int n = 0; n < count; n++)
                {
                    tokens.AsSpan(n * t * d, d).CopyTo(features.AsSpan(checked((start + n) * dim + k * d), d));
                    if (!avgpool || k != lastBlocks - 1) continue;
                    var pooled = features.AsSpan(checked((start + n) * dim + lastBlocks * d), d);
                    for (int p = 1; p < t; p++)
                        for (int j = 0; j < d; j++) pooled[j] += tokens[(n * t + p) * d + j];
                    for (int j = 0; j < d; j++) pooled[j] /= t - 1;
                }
            }
            _progress.Report(split + " features", start + count, dataset.Count, "images");
        }
        _progress.Finish();
        return (features, images.LabelArray, dim);
    }

    /// <summary>
    /// The sweep and the final run as one task on the display: each learning rate's run is <c>epochs</c> units, the
    /// final run the last of them (a sweep needs more than one rate and a held-out share).
    /// </summary>
    private sealed class ProbeProgress(ProgressDisplay display, LinearProbeOptions options) : IProgress<LinearProbeProgress>
    {
        private readonly int _runs = (options.LearningRates.Length > 1 && options.ValidationFraction > 0 ? options.LearningRates.Length : 0) + 1;
        private int _run = -1;
        private (double, bool) _current = (double.NaN, false);

        public void Report(LinearProbeProgress value)
        {
            if ((value.LearningRate, value.Final) != _current) (_current, _run) = ((value.LearningRate, value.Final), Math.Min(_run + 1, _runs - 1));
            string stage = value.Final ? "final run" : $"sweep {_run + 1}/{_runs - 1}";
            long total = (long)_runs * value.Epochs;
            display.Report("probe", Math.Min(total, (long)_run * value.Epochs + value.Epoch), total, "epochs",
                string.Create(CultureInfo.InvariantCulture, $"{stage}, lr {value.LearningRate:G4}, epoch {value.Epoch}/{value.Epochs}, loss {value.Loss:F4}"));
            if (value.Final && value.Epoch == value.Epochs) display.Finish();
        }
    }
}
