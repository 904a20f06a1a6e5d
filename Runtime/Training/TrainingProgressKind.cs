namespace DinoCompiled.Training;

/// <summary>What a <see cref="TrainingProgress"/> reports.</summary>
public enum TrainingProgressKind
{
    /// <summary>A training step finished: <see cref="TrainingProgress.StepReport"/> is set.</summary>
    Step,

    /// <summary>
    /// An evaluation finished, at initialization (epoch −1) or after an epoch, whose checkpoint is saved:
    /// <see cref="TrainingProgress.Evaluation"/> is set.
    /// </summary>
    Evaluated,

    /// <summary>A note for the user, such as where a resumed run continues: <see cref="TrainingProgress.Message"/> is set.</summary>
    Note,

    /// <summary>Something the user should look at, such as an unreadable image skipped: <see cref="TrainingProgress.Message"/> is set.</summary>
    Warning,
}
