using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Distributed;
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
            "--progress", "--max-megapixels", "--preset", "--distributed",
        ],
        flags: ["--no-init-eval"],
        paths: new Dictionary<string, PathKind>
        {
            ["--data"] = PathKind.InputDirectory, ["--out"] = PathKind.OutputDirectory, ["--resume"] = PathKind.InputFile,
            ["--init-from"] = PathKind.InputFile, ["--eval-data"] = PathKind.InputDirectory, ["--models"] = PathKind.InputFile,
        });

    /// <summary>The files a run writes in its run folder (checkpoint, metrics, plot): none may be a directory.</summary>
    public static readonly string[] RunFiles = { "checkpoint.safetensors", "metrics.jsonl", "training.png" };

    private readonly CommandOptions _args;
    private readonly TextWriter _output, _error;
    private readonly Func<string, Stream>? _openCheckpointFile;
    private readonly ProgressDisplay _progress;
    private readonly ICommunicator _communicator;
    private TrainingOptions _options = new();

    private TrainCommand(CommandOptions args, TextWriter output, TextWriter error, Func<string, Stream>? openCheckpointFile, ICommunicator communicator)
    {
        _communicator = communicator;
        // Rank 0 speaks for the run; the other ranks print only their own failure.
        if (communicator.Rank != 0) (output, error) = (TextWriter.Null, TextWriter.Null);
        _progress = ProgressDisplay.ForStandardError(error, ProgressDisplay.ParseMode("train", args.Has("--progress") ? args.Text("--progress") : null));
        _args = args;
        _openCheckpointFile = openCheckpointFile;
        _output = output;
        _error = error;
    }

    /// <param name="openCheckpointFile">Opens the temporary file a checkpoint is written to (tests inject a full disk); null: a FileStream.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, Stream>? openCheckpointFile = null)
    {
        // The ranks are known before the options are parsed, so that a rank whose options fail (a path missing on one
        // machine) is named and ends the job instead of leaving the others waiting.
        int at = Array.IndexOf(args, "--distributed");
        var mode = (at >= 0 && at + 1 < args.Length ? args[at + 1] : "auto") switch
        {
            "auto" => DistributedMode.Auto,
            "mpi" => DistributedMode.Mpi,
            "none" => DistributedMode.None,
            var other => throw new CliException($"train: --distributed takes auto, mpi or none, not '{other}'"),
        };
        ICommunicator communicator;
        try
        {
            communicator = Communicators.Open(mode);
        }
        catch (MpiException exception)
        {
            throw new CliException("train: --distributed: " + exception.Message);
        }
        using var _ = communicator;
        try
        {
            var options = CommandOptions.Parse(Spec, args);
            var command = new TrainCommand(options, output, error, openCheckpointFile, communicator);
            if (options.Has("--models"))
            {
                // A user's own compiled models: the model named, or the assembly's only one.
                var assembly = ModelAssembly.Load(options.Text("--models"));
                assembly.Visit(assembly.Resolve(options.Has("--model") ? options.Text("--model") : null), command);
            }
            else
                ModelZoo.Visit(ModelResolver.Resolve(options.Text("--model", "fmnist-tiny")).Name, command);
        }
        catch (Exception exception) when (communicator.Size > 1)
        {
            // One rank's failure must end the job: the others would wait in their next collective for ever. One line naming
            // the rank, then MPI_Abort, which makes mpirun stop every rank; the last checkpoint was written atomically.
            string message = exception is CliException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
            error.WriteLine($"dino: rank {communicator.Rank}: {message.ReplaceLineEndings(" ")}");
            error.Flush();
            communicator.Abort(DinoCli.UsageError);
            throw;
        }
        return DinoCli.Success;
    }

    public void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        var a = description.Architecture;
        _options = ReadOptions();
        if (_args.Has("--init-from") && _args.Has("--resume"))
            throw new CliException("train: give --init-from (new run from pretrained weights) or --resume (continue a run), not both");
        int threads = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
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
        string data = _args.Has("--data") ? _args.Text("--data") : DataLocator.Bundled();
        string? evalData = _args.Has("--eval-data") ? _args.Text("--eval-data") : null;
        if (_communicator.Size > 1) CheckSameRecipe(description.Name);
        var runOptions = new DinoTrainerOptions
        {
            Communicator = _communicator,
            Data = data, EvaluationData = evalData, RunFolder = runDirectory, Recipe = _options,
            InitializeFrom = _args.Has("--init-from") ? _args.Text("--init-from") : null,
            ResumeFrom = _args.Has("--resume") ? _args.Text("--resume") : null,
            EvaluateInitialization = !_args.Has("--no-init-eval"),
            MaxSteps = _args.Has("--max-steps") ? _args.Int("--max-steps", 0, minimum: 1) : long.MaxValue,
            Threads = threads, DataWorkers = workers, OnUnreadable = policy,
            MaxPixels = (long)Math.Min(megapixels * 1e6, long.MaxValue / 2), OpenCheckpointFile = _openCheckpointFile,
        };
        using var run = Open<TModel>(runOptions);
        var console = new TrainingConsole(_output, _error, _progress, run.HasLabels);
        _output.WriteLine($"dino train: {description.Name} on {run.DataDescription}");
        _output.WriteLine($"  {_options.Epochs} epochs x {run.StepsPerEpoch} steps of {_options.BatchSize} images (2x{a.GlobalCrop} + {_options.LocalCrops}x{a.LocalCrop} crops), " +
                          $"peak lr {_options.ScaledLearningRate:G3} after {_options.EffectiveWarmupEpochs} warm-up epoch(s), {threads} threads, {workers} data workers");
        if (_communicator.Size > 1)
        {
            int shard = _options.BatchSize / _communicator.Size;
            _output.WriteLine($"  {_communicator.Size} ranks ({_communicator.Engine}): each global batch of {_options.BatchSize} is {_communicator.Size} shards of {shard} images, " +
                              $"rank r computing images [{shard}r, {shard}(r+1)); rank 0 writes and evaluates");
        }
        _output.WriteLine($"  run folder {Path.GetFullPath(runDirectory)}");
        if (run.Initialization is { } report)
            _output.WriteLine($"  backbone initialized from {runOptions.InitializeFrom} ({report.Source}, {report.Tensors} tensors" +
                              (report.ResizedGrid is var (from, to) ? $"; position grid {from}x{from} resized to {to}x{to}" : "") +
                              (report.Ignored.Count > 0 ? $"; ignored {report.Ignored.Count} head tensor(s)" : "") + ")");
        run.Engine.Accelerator = AcceleratorFactory.Create(_args.Text("--device", "auto"), _args.Text("--precision", "auto"), typeof(TModel), _options,
            run.StepsPerEpoch, run.Engine.Student.Span, _output, _communicator);

        using var interrupt = new CancellationTokenSource();
        // The first Ctrl+C finishes the step in flight and writes a checkpoint to resume from; a second one kills.
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
            console.Clear();
            _error.WriteLine("dino: stopping after this step and writing a checkpoint (Ctrl+C again to kill)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var result = run.Run(console, interrupt.Token);
            console.Summarize(result, runDirectory);
            // (The GPU ranks' all-reduces are queued on the device; their time is inside the steps.)
            if (_communicator.Size > 1 && run.Engine.Accelerator is null)
                _output.WriteLine($"  rank 0 spent {run.Engine.CommunicationTime.TotalSeconds:F2} s in the gradient, center and loss all-reduces after its backward (communication and waiting for the other ranks)");
            if (result.Stopped)
                _output.WriteLine($"stopped at step {result.Steps} of {run.TotalSteps}; continue with the same options and --resume {result.CheckpointPath}");
        }
        catch (Exception exception) when (exception is DinoTrainingException or TrainingDivergedException)
        {
            console.Clear();
            throw new CliException("train: " + exception.Message);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Every rank must train the same recipe (a rank launched with another seed or batch would silently average two
    /// runs): rank 0's recipe is broadcast as a hash and each rank compares its own.
    /// </summary>
    private unsafe void CheckSameRecipe(string model)
    {
        ulong own = 14695981039346656037ul;
        foreach (char c in model + "|" + _options) own = (own ^ c) * 1099511628211ul;
        ulong lead = own;
        _communicator.Broadcast(&lead, sizeof(ulong), root: 0);
        if (lead != own)
            throw new CliException($"train: this rank's model or recipe differs from rank 0's (every rank needs the same model, batch, seed and recipe options)");
    }

    /// <summary>The run, with its errors as one-line command-line errors naming the option whose path failed.</summary>
    private static DinoTrainer<TModel> Open<TModel>(DinoTrainerOptions options) where TModel : ICompiledDinoModel
    {
        try
        {
            return new DinoTrainer<TModel>(options);
        }
        catch (DatasetException exception)
        {
            throw new CliException(exception.FilePath == options.Data ? "--data: " + exception.Message
                : exception.FilePath == options.EvaluationData ? "--eval-data: " + exception.Message : exception.Message);
        }
        catch (DinoTrainingException exception) when (options.InitializeFrom is not null && exception.InnerException is CheckpointException)
        {
            throw new CliException("train: --init-from " + exception.Message);
        }
        catch (DinoTrainingException exception)
        {
            throw new CliException("train: " + exception.Message);
        }
    }

    private TrainingOptions ReadOptions()
    {
        // The preset gives the defaults; every flag given overrides its value.
        var d = TrainingOptions.For(_args.Text("--preset", "standard") switch
        {
            "standard" => TrainingPreset.Standard,
            "small-data" => TrainingPreset.SmallData,
            var other => throw new CliException($"train: --preset takes 'standard' or 'small-data', not '{other}'"),
        });
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
