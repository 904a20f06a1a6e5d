using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Training;

/// <summary>What a <see cref="DinoTrainer{TModel}"/> run ended with: its evaluations, its checkpoint, and whether it stopped early.</summary>
public sealed record TrainingResult
{
    /// <summary>Every evaluation of this run, in order: the initialization's first (epoch −1) when it ran.</summary>
    public required IReadOnlyList<EpochReport> Evaluations { get; init; }

    /// <summary>The checkpoint of the last step (the teacher, student, optimizer and center; what a resume reads).</summary>
    public required string CheckpointPath { get; init; }

    /// <summary>Steps done in all, a resumed run's earlier steps included.</summary>
    public required long Steps { get; init; }

    /// <summary>Whether the run stopped before its last epoch's end (cancelled, or its step limit); the checkpoint resumes it.</summary>
    public required bool Stopped { get; init; }

    /// <summary>The evaluation at initialization, when it ran.</summary>
    public EpochReport? Initial => Evaluations.FirstOrDefault(e => e.Epoch < 0);

    /// <summary>The last epoch's evaluation, when an epoch ended.</summary>
    public EpochReport? Final => Evaluations.LastOrDefault(e => e.Epoch >= 0);
}
