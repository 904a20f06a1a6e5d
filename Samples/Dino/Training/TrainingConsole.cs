using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Evaluation;
using DinoCompiled.Plotting;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// The host side of a training run: the progress display, k-NN, checkpoints (atomic), metrics.jsonl and
/// training.png in the run folder, and the final summary.
/// </summary>
public sealed class TrainingConsole<TModel> : IRunCallbacks where TModel : ICompiledDinoModel
{
    private readonly Trainer<TModel> _trainer;
    private readonly TrainingOptions _options;
    private readonly string _runDirectory;
    private readonly TextWriter _output;
    private readonly LoaderEvaluationImages _train;
    private readonly LoaderEvaluationImages? _test;
    private readonly MetricsLog _metrics;
    private readonly Func<string, Stream>? _openCheckpointFile;
    private readonly ProgressDisplay _progress;

    public TrainingConsole(Trainer<TModel> trainer, TrainingOptions options, string runDirectory, TextWriter output,
        LoaderEvaluationImages train, LoaderEvaluationImages? test, ProgressDisplay progress, Func<string, Stream>? openCheckpointFile = null)
    {
        _progress = progress;
        _openCheckpointFile = openCheckpointFile;
        _trainer = trainer;
        _options = options;
        _runDirectory = runDirectory;
        _output = output;
        _train = train;
        _test = test;
        _metrics = new MetricsLog(runDirectory);
    }

    public string CheckpointPath => Path.Combine(_runDirectory, "checkpoint.safetensors");

    public double KnnTopOne(ReadOnlySpan<float> trainFeatures, IEvaluationImages train, ReadOnlySpan<float> testFeatures, IEvaluationImages test, int dimension) =>
        KnnClassifier.Evaluate(trainFeatures, _train.LabelArray, testFeatures, (_test ?? throw new InvalidOperationException("k-NN without labelled data")).LabelArray, train.ClassCount, _options.KnnK, _options.KnnTemperature).Top1;

    public void SaveCheckpoint()
    {
        var state = State();
        // DINO's "epoch" is the next epoch to start; a run stopped mid-epoch resumes inside it from "step".
        state.Epoch = (int)(_trainer.Step / _trainer.Schedules.IterationsPerEpoch);
        try
        {
            TrainingCheckpoint.Save(CheckpointPath, _trainer.Parameters, state, _openCheckpointFile);
        }
        catch (CheckpointException exception)
        {
            // A full disk or a lost folder mid-run: one line (off the progress line); the save is atomic, so the previous
            // checkpoint is intact.
            ClearProgress();
            throw new CliException("train: " + exception.Message);
        }
    }

    /// <summary>Loads a checkpoint of this model into the trainer; the run continues from its step.</summary>
    public void Resume(string path)
    {
        var state = State();
        try
        {
            TrainingCheckpoint.Load(path, _trainer.Parameters, state);
        }
        catch (Exception exception) when (exception is IOException)
        {
            throw new CliException("train: " + exception.Message);
        }
        long seed = state.RngState.Length == sizeof(long) ? BitConverter.ToInt64(state.RngState) : long.MinValue;
        if (seed != _options.Seed)
            throw new CliException($"train: {path} was trained with --seed {seed}; resume it with the same seed so the crops and drop path continue as they would have");
        state.OptimizerSteps.CopyTo(_trainer.Optimizer.Steps);
        _trainer.Step = state.Step;
        _trainer.PushToAccelerator();
        _output.WriteLine($"  resumed from {path} at step {state.Step} (epoch {_trainer.Epoch})");
    }

    public void StepDone(StepReport report, double imagesPerSecond, TimeSpan remaining)
    {
        // The display measures its own time left; the trainer's estimate is the same figure from the same clock.
        _progress.Report("train", report.Step + 1, (long)_options.Epochs * _trainer.Schedules.IterationsPerEpoch, "steps",
            $"epoch {report.Epoch + 1}/{_options.Epochs}  loss {report.Loss:F4}  lr {report.LearningRate:E2}  {imagesPerSecond:F1} img/s");
    }

    public void EpochDone(EpochReport report)
    {
        ClearProgress();
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
            throw new CliException($"train: {Path.Combine(_runDirectory, "metrics.jsonl")}: could not be written (the checkpoint of this epoch is saved): {exception.Message.ReplaceLineEndings(" ")}");
        }
        if (report.Epoch < 0)
            _output.WriteLine($"  initialization: {Knn(report)}RankMe {report.RankMe:F1}");
        else
            _output.WriteLine($"  epoch {report.Epoch + 1,3}: loss {report.MeanLoss:F4} (ln K {report.LogOutDim:F3}), teacher entropy {report.TeacherEntropy:F3}, " +
                              $"KL {report.Collapse?.TeacherStudentKl ?? double.NaN:F3}, {Knn(report)}RankMe {report.RankMe:F1}, {report.ImagesPerSecond:F1} images/s");
        if (report.Collapsing)
            _output.WriteLine($"  warning: {report.Collapse!.Describe()}; try a higher --momentum-teacher, a lower --teacher-temp or a longer --freeze-last-layer");
        Plot();
    }

    public void Summarize(List<EpochReport> reports)
    {
        var initial = reports.FirstOrDefault(r => r.Epoch < 0);
        var last = reports.LastOrDefault(r => r.Epoch >= 0);
        if (last is null) return;
        if (_test is null)
            _output.WriteLine(initial is null
                ? $"RankMe after {last.Epoch + 1} epochs: {last.RankMe:F1} (no labelled data, so no k-NN; --eval-data adds it)"
                : $"RankMe: {initial.RankMe:F1} at initialization, {last.RankMe:F1} after {last.Epoch + 1} epochs (no labelled data, so no k-NN; --eval-data adds it)");
        else
        _output.WriteLine(initial is null
            ? $"k-NN top-1 after {last.Epoch + 1} epochs: {last.KnnTopOne:P2}"
            : $"k-NN top-1: {initial.KnnTopOne:P2} at initialization, {last.KnnTopOne:P2} after {last.Epoch + 1} epochs ({(last.KnnTopOne - initial.KnnTopOne) * 100:+0.00;-0.00} points)");
        _output.WriteLine($"checkpoint {Path.GetFullPath(CheckpointPath)}; metrics and plot in {Path.GetFullPath(_runDirectory)}");
    }

    private void ClearProgress() => _progress.Clear();

    private static string Knn(EpochReport report) => double.IsNaN(report.KnnTopOne) ? "" : $"k-NN top-1 {report.KnnTopOne:P2}, ";

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
        Metadata = new Dictionary<string, string> { ["seed"] = _options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
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
        string path = Path.Combine(_runDirectory, "training.png");
        try
        {
            canvas.Save(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"train: {path}: could not be written (the checkpoint of this epoch is saved): {exception.Message.ReplaceLineEndings(" ")}");
        }
    }
}
