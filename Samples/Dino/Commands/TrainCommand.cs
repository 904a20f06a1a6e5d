using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Models;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino train</c>: trains a compiled model with the DINO recipe on the CPU, evaluating weighted k-NN on the teacher's
/// features at initialization and after every epoch, writing a checkpoint, metrics and a plot to the run folder.
/// Every recipe default of DINO-SPEC.md is a flag.
/// </summary>
public sealed class TrainCommand : IDinoModelVisitor
{
    /// <summary>The options of <c>dino train</c>; every recipe default of DINO-SPEC.md is one.</summary>
    public static readonly CommandSpec Spec = new("train",
        valued:
        [
            "--model", "--epochs", "--batch", "--local-crops", "--lr", "--min-lr", "--warmup-epochs", "--weight-decay", "--weight-decay-end",
            "--clip-grad", "--freeze-last-layer", "--momentum-teacher", "--teacher-temp", "--warmup-teacher-temp", "--warmup-teacher-temp-epochs",
            "--student-temp", "--seed", "--threads", "--workers", "--knn-k", "--knn-t", "--on-unreadable", "--max-steps", "--device", "--precision",
            "--progress", "--max-megapixels",
        ],
        flags: ["--no-init-eval"],
        paths: new Dictionary<string, PathKind>
        {
            ["--data"] = PathKind.InputDirectory, ["--out"] = PathKind.OutputDirectory, ["--resume"] = PathKind.InputFile,
            ["--init-from"] = PathKind.InputFile, ["--eval-data"] = PathKind.InputDirectory,
        });

    /// <summary>The files a run writes in its run folder (checkpoint, metrics, plot): none may be a directory.</summary>
    public static readonly string[] RunFiles = { "checkpoint.safetensors", "metrics.jsonl", "training.png" };

    private readonly CommandOptions _args;
    private readonly TextWriter _output, _error;
    private readonly Func<string, Stream>? _openCheckpointFile;
    private readonly ProgressDisplay _progress;
    private TrainingOptions _options = new();

    private TrainCommand(CommandOptions args, TextWriter output, TextWriter error, Func<string, Stream>? openCheckpointFile)
    {
        _progress = ProgressDisplay.ForStandardError(error, ProgressDisplay.ParseMode("train", args.Has("--progress") ? args.Text("--progress") : null));
        _args = args;
        _openCheckpointFile = openCheckpointFile;
        _output = output;
        _error = error;
    }

    /// <param name="openCheckpointFile">Opens the temporary file a checkpoint is written to (tests inject a full disk); null: a FileStream.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, Stream>? openCheckpointFile = null)
    {
        var options = CommandOptions.Parse(Spec, args);
        var command = new TrainCommand(options, output, error, openCheckpointFile);
        var model = ModelResolver.Resolve(options.Text("--model", "fmnist-tiny"));
        ModelZoo.Visit(model.Name, command);
        return DinoCli.Success;
    }

    public void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        var a = description.Architecture;
        _options = ReadOptions();
        if (_args.Has("--init-from") && _args.Has("--resume"))
            throw new CliException("train: give --init-from (new run from pretrained weights) or --resume (continue a run), not both");
        CpuParallel.ThreadCount = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
        int workers = _args.Int("--workers", 2, minimum: 1);
        var policy = _args.Text("--on-unreadable", "stop") switch
        {
            "skip" => UnreadableImagePolicy.Skip,
            "stop" => UnreadableImagePolicy.Stop,
            var other => throw new CliException($"train: --on-unreadable takes 'skip' or 'stop', not '{other}'"),
        };
        // Checked before any work: the default run folder too, and no file the run writes may be a directory there.
        string runDirectory = _args.Text("--out", Path.Combine("runs", description.Name));
        if (!_args.Has("--out")) CliPaths.RequireOutputDirectory("--out", runDirectory);
        foreach (string file in RunFiles) CliPaths.RequireNotDirectory("--out", Path.Combine(runDirectory, file));
        double megapixels = _args.Double("--max-megapixels", ImageFolderOptions.DefaultMaxPixels / 1e6);
        if (megapixels <= 0) throw new CliException($"train: --max-megapixels takes a positive number, not {_args.Text("--max-megapixels")}");
        long maxPixels = (long)Math.Min(megapixels * 1e6, long.MaxValue / 2);
        var (trainSet, testSet, dataDescription) = DataLocator.Open(_args.Has("--data") ? _args.Text("--data") : null, a.Channels, a.GlobalCrop, policy, _error, maxPixels);
        if (trainSet.Channels != a.Channels)
            throw new CliException($"train: {description.Name} takes {a.Channels}-channel images but the data has {trainSet.Channels} channel(s)");
        // The k-NN sets: --eval-data's when given, else --data's own; none for unlabeled data alone (RankMe still runs).
        // Evaluation images are normalized as the training images are, whatever set they come from.
        IImageDataset? knnTrain = testSet is null ? null : trainSet, knnTest = testSet;
        if (_args.Has("--eval-data"))
        {
            var (evalTrain, evalTest, evalDescription) = DataLocator.OpenLabelled("train", "--eval-data", _args.Text("--eval-data"), a.Channels, a.GlobalCrop, policy, _error, maxPixels);
            (knnTrain, knnTest) = (new DatasetSample(evalTrain, evalTrain.Count, trainSet.Normalization), new DatasetSample(evalTest, evalTest.Count, trainSet.Normalization));
            dataDescription += $"; k-NN on {evalDescription}";
        }

        var config = new MultiCropConfig
        {
            GlobalSize = a.GlobalCrop, LocalSize = a.LocalCrop, LocalCount = _options.LocalCrops, Normalization = trainSet.Normalization,
            GlobalScale = new SamplingRange(_options.GlobalCropsScale.Min, _options.GlobalCropsScale.Max),
            LocalScale = new SamplingRange(_options.LocalCropsScale.Min, _options.LocalCropsScale.Max),
        };
        using var batches = new LoaderBatches(new MultiCropLoader(trainSet, config, _options.BatchSize, _options.Seed, workers, prefetchDepth: 3));
        if (batches.IterationsPerEpoch == 0)
            throw new CliException($"train: {trainSet.Count} training images make no full batch of {_options.BatchSize}");
        // Without labels, the evaluation reads only RankMe's fixed sample of the training images.
        using var trainImages = new LoaderEvaluationImages(knnTrain ?? new DatasetSample(trainSet, TrainingSession<TModel>.RankMeSample), a.GlobalCrop, 256, workers);
        using var testImages = knnTest is null ? null : new LoaderEvaluationImages(knnTest, a.GlobalCrop, 256, workers);
        _output.WriteLine($"dino train: {description.Name} on {dataDescription}");
        _output.WriteLine($"  {_options.Epochs} epochs x {batches.IterationsPerEpoch} steps of {_options.BatchSize} images (2x{a.GlobalCrop} + {_options.LocalCrops}x{a.LocalCrop} crops), " +
                          $"peak lr {_options.ScaledLearningRate:G3} after {_options.EffectiveWarmupEpochs} warm-up epoch(s), {CpuParallel.ThreadCount} threads, {workers} data workers");
        _output.WriteLine($"  run folder {Path.GetFullPath(runDirectory)}");
        using var trainer = new Trainer<TModel>(_options, batches.IterationsPerEpoch);
        if (_args.Has("--init-from")) InitializeFrom<TModel>(_args.Text("--init-from"), trainer);
        trainer.Accelerator = AcceleratorFactory.Create(_args.Text("--device", "auto"), _args.Text("--precision", "tf32"), description.Name, _options,
            batches.IterationsPerEpoch, trainer.Student.Span, _output);
        var callbacks = new TrainingConsole<TModel>(trainer, _options, runDirectory, _output, trainImages, testImages, _progress, _openCheckpointFile);

        if (_args.Has("--resume")) callbacks.Resume(_args.Text("--resume"));
        var session = new TrainingSession<TModel>(trainer, _options, batches, trainImages, testImages, callbacks);
        long maxSteps = _args.Has("--max-steps") ? _args.Int("--max-steps", 0, minimum: 1) : long.MaxValue;
        using var interrupt = new CancellationTokenSource();
        // The first Ctrl+C finishes the step in flight and writes a checkpoint to resume from; a second one kills.
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
            _progress.Clear();
            _error.WriteLine("dino: stopping after this step and writing a checkpoint (Ctrl+C again to kill)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var reports = session.Run(evaluateInitialization: !_args.Has("--no-init-eval"), maxSteps, interrupt.Token);
            callbacks.Summarize(reports);
            if (session.Stopped)
                _output.WriteLine($"stopped at step {trainer.Step} of {(long)_options.Epochs * batches.IterationsPerEpoch}; " +
                                  $"continue with the same options and --resume {callbacks.CheckpointPath}");
        }
        catch (TrainingDivergedException exception)
        {
            throw new CliException("train: " + exception.Message);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// The student's backbone from pretrained weights; the teacher starts as a copy of the student, as in any new run.
    /// The head keeps its initialization (the released backbones carry none).
    /// </summary>
    private void InitializeFrom<TModel>(string path, Trainer<TModel> trainer) where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        PretrainedBackboneReport report;
        try
        {
            report = PretrainedBackbone.Load(path, description.Parameters, trainer.Student.Span, description.Name);
        }
        catch (CheckpointException exception)
        {
            throw new CliException("train: --init-from " + exception.Message);
        }
        trainer.Student.Span.CopyTo(trainer.Teacher.Span);
        _output.WriteLine($"  backbone initialized from {path} ({report.Source}, {report.Tensors} tensors" +
                          (report.ResizedGrid is var (from, to) ? $"; position grid {from}x{from} resized to {to}x{to}" : "") +
                          (report.Ignored.Count > 0 ? $"; ignored {report.Ignored.Count} head tensor(s)" : "") + ")");
    }

    private TrainingOptions ReadOptions()
    {
        var d = new TrainingOptions();
        return new TrainingOptions
        {
            Epochs = _args.Int("--epochs", d.Epochs, minimum: 1),
            BatchSize = _args.Int("--batch", d.BatchSize, minimum: 1),
            LocalCrops = _args.Int("--local-crops", d.LocalCrops, minimum: 0),
            LearningRate = _args.Double("--lr", d.LearningRate),
            MinLearningRate = _args.Double("--min-lr", d.MinLearningRate),
            WarmupEpochs = _args.Has("--warmup-epochs") ? _args.Int("--warmup-epochs", 0, minimum: 0) : null,
            WeightDecay = _args.Double("--weight-decay", d.WeightDecay),
            WeightDecayEnd = _args.Double("--weight-decay-end", d.WeightDecayEnd),
            ClipGrad = _args.Double("--clip-grad", d.ClipGrad),
            FreezeLastLayerEpochs = _args.Int("--freeze-last-layer", d.FreezeLastLayerEpochs, minimum: 0),
            TeacherMomentum = _args.Double("--momentum-teacher", d.TeacherMomentum),
            TeacherTemperature = _args.Double("--teacher-temp", d.TeacherTemperature),
            WarmupTeacherTemperature = _args.Double("--warmup-teacher-temp", d.WarmupTeacherTemperature),
            WarmupTeacherTemperatureEpochs = _args.Int("--warmup-teacher-temp-epochs", d.WarmupTeacherTemperatureEpochs, minimum: 0),
            StudentTemperature = _args.Double("--student-temp", d.StudentTemperature),
            Seed = _args.Int("--seed", d.Seed),
            KnnK = _args.Int("--knn-k", d.KnnK, minimum: 1),
            KnnTemperature = _args.Double("--knn-t", d.KnnTemperature),
        };
    }
}
