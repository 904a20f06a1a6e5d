using System;

namespace DinoCompiled.Training;

/// <summary>
/// One report of a running <see cref="DinoTrainer{TModel}"/> to its <see cref="IProgress{T}"/>: a step, an evaluation
/// or a note, with where the run stands.
/// </summary>
public sealed record TrainingProgress
{
    /// <summary>What this report is.</summary>
    public required TrainingProgressKind Kind { get; init; }

    /// <summary>Steps done so far.</summary>
    public required long Step { get; init; }

    /// <summary>Steps of the whole run.</summary>
    public required long TotalSteps { get; init; }

    /// <summary>Epochs of the whole run.</summary>
    public required int Epochs { get; init; }

    /// <summary>For <see cref="TrainingProgressKind.Step"/>: the step's loss and schedule values.</summary>
    public StepReport? StepReport { get; init; }

    /// <summary>For <see cref="TrainingProgressKind.Evaluated"/>: k-NN (NaN without labels), RankMe and the collapse monitor.</summary>
    public EpochReport? Evaluation { get; init; }

    /// <summary>For <see cref="TrainingProgressKind.Note"/> and <see cref="TrainingProgressKind.Warning"/>: the message.</summary>
    public string? Message { get; init; }

    /// <summary>Training images per second since this run (or resume) started; 0 when not training.</summary>
    public double ImagesPerSecond { get; init; }

    /// <summary>Estimated time to the end of the run at that rate.</summary>
    public TimeSpan Remaining { get; init; }

    /// <summary>A line for a log: the step's loss, the evaluation's figures, or the note.</summary>
    public override string ToString() => Kind switch
    {
        TrainingProgressKind.Step when StepReport is { } s =>
            $"step {Step}/{TotalSteps} (epoch {s.Epoch + 1}/{Epochs}): loss {s.Loss:F4}, lr {s.LearningRate:E2}, {ImagesPerSecond:F1} images/s",
        TrainingProgressKind.Evaluated when Evaluation is { } e => e.Epoch < 0
            ? $"initialization: {Figures(e)}"
            : $"epoch {e.Epoch + 1}/{Epochs}: loss {e.MeanLoss:F4}, {Figures(e)}",
        _ => Message ?? Kind.ToString(),
    };

    private static string Figures(EpochReport e) =>
        (double.IsNaN(e.KnnTopOne) ? "" : $"k-NN top-1 {e.KnnTopOne:P2}, ") + $"RankMe {e.RankMe:F1}" + (e.Collapsing ? " (collapsing)" : "");
}
