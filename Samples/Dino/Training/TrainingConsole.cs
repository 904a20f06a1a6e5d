using System;
using System.IO;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// How <c>dino train</c> shows a <see cref="DinoTrainer{TModel}"/> run: steps on the progress display, a line per
/// evaluation (with the collapse warning), notes, and the final summary.
/// </summary>
public sealed class TrainingConsole : IProgress<TrainingProgress>
{
    private readonly TextWriter _output, _error;
    private readonly ProgressDisplay _progress;
    private readonly bool _hasLabels;
    // Warnings come from the loader's threads while steps report from the training thread.
    private readonly object _gate = new();

    public TrainingConsole(TextWriter output, TextWriter error, ProgressDisplay progress, bool hasLabels)
    {
        _output = output;
        _error = error;
        _progress = progress;
        _hasLabels = hasLabels;
    }

    public void Report(TrainingProgress value)
    {
        lock (_gate) Show(value);
    }

    private void Show(TrainingProgress value)
    {
        switch (value.Kind)
        {
            case TrainingProgressKind.Step:
                var step = value.StepReport!.Value;
                // The display measures its own time left; the trainer's estimate is the same figure from the same clock.
                _progress.Report("train", value.Step, value.TotalSteps, "steps",
                    $"epoch {step.Epoch + 1}/{value.Epochs}  loss {step.Loss:F4}  lr {step.LearningRate:E2}  {value.ImagesPerSecond:F1} img/s");
                break;
            case TrainingProgressKind.Evaluated:
                _progress.Clear();
                var report = value.Evaluation!;
                if (report.Epoch < 0)
                    _output.WriteLine($"  initialization: {Knn(report)}RankMe {report.RankMe:F1}");
                else
                    _output.WriteLine($"  epoch {report.Epoch + 1,3}: loss {report.MeanLoss:F4} (ln K {report.LogOutDim:F3}), teacher entropy {report.TeacherEntropy:F3}, " +
                                      $"KL {report.Collapse?.TeacherStudentKl ?? double.NaN:F3}, {Knn(report)}RankMe {report.RankMe:F1}, {report.ImagesPerSecond:F1} images/s");
                if (report.Collapsing)
                    _output.WriteLine($"  warning: {report.Collapse!.Describe()}; try a higher --momentum-teacher, a lower --teacher-temp or a longer --freeze-last-layer");
                break;
            case TrainingProgressKind.Note:
                _progress.Clear();
                _output.WriteLine("  " + value.Message);
                break;
            case TrainingProgressKind.Warning:
                _progress.Clear();
                _error.WriteLine("dino: " + value.Message);
                break;
        }
    }

    /// <summary>Erases the progress line, before an error is printed.</summary>
    public void Clear()
    {
        lock (_gate) _progress.Clear();
    }

    public void Summarize(TrainingResult result, string runFolder)
    {
        var initial = result.Initial;
        var last = result.Final;
        if (last is null) return;
        if (!_hasLabels)
            _output.WriteLine(initial is null
                ? $"RankMe after {last.Epoch + 1} epochs: {last.RankMe:F1} (no labelled data, so no k-NN; --eval-data adds it)"
                : $"RankMe: {initial.RankMe:F1} at initialization, {last.RankMe:F1} after {last.Epoch + 1} epochs (no labelled data, so no k-NN; --eval-data adds it)");
        else
            _output.WriteLine(initial is null
                ? $"k-NN top-1 after {last.Epoch + 1} epochs: {last.KnnTopOne:P2}"
                : $"k-NN top-1: {initial.KnnTopOne:P2} at initialization, {last.KnnTopOne:P2} after {last.Epoch + 1} epochs ({(last.KnnTopOne - initial.KnnTopOne) * 100:+0.00;-0.00} points)");
        _output.WriteLine($"checkpoint {Path.GetFullPath(result.CheckpointPath)}; metrics and plot in {Path.GetFullPath(runFolder)}");
    }

    private static string Knn(EpochReport report) => double.IsNaN(report.KnnTopOne) ? "" : $"k-NN top-1 {report.KnnTopOne:P2}, ";
}
