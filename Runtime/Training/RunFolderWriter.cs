using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Evaluation;
using DinoCompiled.Plotting;

namespace DinoCompiled.Training;

/// <summary>
/// The run folder of a <see cref="DinoTrainer{TModel}"/>: the weighted k-NN, the atomic checkpoint, metrics.jsonl and
/// training.png after every evaluation, and resuming from a checkpoint. Reports steps and evaluations to the run's
/// progress; a file it cannot write is a <see cref="DinoTrainingException"/> that leaves the last checkpoint intact.
/// In a data-parallel run only rank 0 writes and reports (every rank holds the same state); every rank resumes.
/// </summary>
internal sealed class RunFolderWriter<TModel> : IRunCallbacks where TModel : ICompiledDinoModel
{
    private readonly Trainer<TModel> _trainer;
    private readonly TrainingOptions _options;
    private readonly LoaderEvaluationImages _train;
    private readonly LoaderEvaluationImages? _test;
    private readonly MetricsLog _metrics;
    private readonly Func<string, Stream>? _openCheckpointFile;

    public RunFolderWriter(Trainer<TModel> trainer, TrainingOptions options, string runFolder, LoaderEvaluationImages train, LoaderEvaluationImages? test,
        Func<string, Stream>? openCheckpointFile)
    {
        _trainer = trainer;
        _options = options;
        RunFolder = runFolder;
        _train = train;
        _test = test;
        _openCheckpointFile = openCheckpointFile;
        try
        {
            _metrics = new MetricsLog(runFolder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new DinoTrainingException($"{Path.Combine(runFolder, "metrics.jsonl")}: could not be read or created: {exception.Message.ReplaceLineEndings(" ")}", exception);
        }
    }

    /// <summary>Where steps and evaluations are reported; null: nowhere.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    public string RunFolder { get; }

    public string CheckpointPath => Path.Combine(RunFolder, "checkpoint.safetensors");

    public double KnnTopOne(ReadOnlySpan<float> trainFeatures, IEvaluationImages train, ReadOnlySpan<float> testFeatures, IEvaluationImages test, int dimension) =>
        KnnClassifier.Evaluate(trainFeatures, _train.LabelArray, testFeatures, (_test ?? throw new InvalidOperationException("k-NN without labelled data")).LabelArray,
            train.ClassCount, _options.KnnK, _options.KnnTemperature).Top1;

    public void SaveCheckpoint()
    {
        if (!Writes) return;
        var state = State();
        // DINO's "epoch" is the next epoch to start; a run stopped mid-epoch resumes inside it from "step".
        state.Epoch = (int)(_trainer.Step / _trainer.Schedules.IterationsPerEpoch);
        try
        {
            TrainingCheckpoint.Save(CheckpointPath, _trainer.Parameters, state, _openCheckpointFile);
        }
        catch (CheckpointException exception)
        {
            // A full disk or a lost folder mid-run; the save is atomic, so the previous checkpoint is intact.
            throw new DinoTrainingException(exception.Message, exception);
        }
    }

    /// <summary>Loads a checkpoint of this model and seed into the trainer; the run continues from its step.</summary>
    public void Resume(string path)
    {
        var state = State();
        try
        {
            TrainingCheckpoint.Load(path, _trainer.Parameters, state);
        }
        catch (IOException exception)
        {
            throw new DinoTrainingException(exception.Message, exception);
        }
        long seed = state.RngState.Length == sizeof(long) ? BitConverter.ToInt64(state.RngState) : long.MinValue;
        if (seed != _options.Seed)
            throw new DinoTrainingException($"{path} was trained with seed {seed}, not {_options.Seed}; resume it with the same seed so the crops and drop path continue as they would have");
        state.OptimizerSteps.CopyTo(_trainer.Optimizer.Steps);
        _trainer.Step = state.Step;
        _trainer.PushToAccelerator();
    }

    public void StepDone(StepReport report, double imagesPerSecond, TimeSpan remaining) =>
        (Writes ? Progress : null)?.Report(new TrainingProgress
        {
            Kind = TrainingProgressKind.Step, Step = report.Step + 1, TotalSteps = TotalSteps, Epochs = _options.Epochs, StepReport = report,
            ImagesPerSecond = imagesPerSecond, Remaining = remaining,
        });

    public void EpochDone(EpochReport report)
    {
        if (!Writes) return;
        var values = new Dictionary<string, double>
        {
            ["epoch"] = report.Epoch + 1, ["step"] = _trainer.Step, ["loss"] = report.MeanLoss, ["ln_k"] = report.LogOutDim,
            ["teacher_entropy"] = report.TeacherEntropy, ["knn_top1"] = report.KnnTopOne, ["rankme"] = report.RankMe, ["images_per_second"] = report.ImagesPerSecond,
        };
        if (report.Collapse is { } collapse)
        {
            values["teacher_mean_entropy"] = collapse.MeanDistributionEntropy;
            if (collapse.TeacherStudentKl is double kl) values["teacher_student_kl"] = kl;
        }
        try
        {
            _metrics.Append("epoch", values);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DinoTrainingException($"{Path.Combine(RunFolder, "metrics.jsonl")}: could not be written (the checkpoint of this epoch is saved): {exception.Message.ReplaceLineEndings(" ")}", exception);
        }
        Plot();
        Progress?.Report(new TrainingProgress
        {
            Kind = TrainingProgressKind.Evaluated, Step = _trainer.Step, TotalSteps = TotalSteps, Epochs = _options.Epochs, Evaluation = report,
            ImagesPerSecond = report.ImagesPerSecond,
        });
    }

    /// <summary>Whether this process writes the run folder and reports: rank 0 of the run's ranks.</summary>
    private bool Writes => _trainer.Communicator.Rank == 0;

    private long TotalSteps => (long)_options.Epochs * _trainer.Schedules.IterationsPerEpoch;

    private TrainingState State() => new()
    {
        ModelName = TModel.Description.Name,
        StudentParameters = TrainingState.Wrap(_trainer.Student),
        TeacherParameters = TrainingState.Wrap(_trainer.Teacher),
        FirstMoments = TrainingState.Wrap(_trainer.FirstMoment),
        SecondMoments = TrainingState.Wrap(_trainer.SecondMoment),
        OptimizerSteps = _trainer.Optimizer.Steps.ToArray(),
        Center = TrainingState.Wrap(_trainer.Center),
        Step = _trainer.Step,
        RngState = BitConverter.GetBytes((long)_options.Seed),
        Metadata = new Dictionary<string, string> { ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture) },
    };

    private void Plot()
    {
        var epochs = _metrics.Epochs;
        var loss = epochs.Where(e => e["epoch"] >= 1).Select(e => (e["epoch"], e["loss"])).ToList();
        // A value logged as null (no k-NN without labels) or absent (a log from before RankMe) is not drawn.
        var knn = epochs.Select(e => (e["epoch"], e.GetValueOrDefault("knn_top1", double.NaN) * 100)).ToList();
        var rankMe = epochs.Select(e => (e["epoch"], e.GetValueOrDefault("rankme", double.NaN))).ToList();
        var canvas = new PixelCanvas(900, 360);
        new LineChart("DINO LOSS").Series("LOSS", (200, 60, 40), loss)
            .Reference("LN K", epochs.Count > 0 ? epochs[0]["ln_k"] : double.NaN, (120, 120, 120)).Draw(canvas, 0, 0, 450, 360);
        // Without labels the right-hand chart is the label-free monitor.
        if (_test is null) new LineChart("RANKME").Series("TEACHER", (40, 90, 200), rankMe).Draw(canvas, 450, 0, 450, 360);
        else new LineChart("K-NN TOP-1 (%)").Series("TEACHER", (40, 90, 200), knn).Draw(canvas, 450, 0, 450, 360);
        string path = Path.Combine(RunFolder, "training.png");
        try
        {
            canvas.Save(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DinoTrainingException($"{path}: could not be written (the checkpoint of this epoch is saved): {exception.Message.ReplaceLineEndings(" ")}", exception);
        }
    }
}
