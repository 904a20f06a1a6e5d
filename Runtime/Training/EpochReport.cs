namespace DinoCompiled.Training;

/// <summary>
/// The end of an epoch (or the initialization, epoch −1): the mean loss against ln K, the k-NN accuracy, and the collapse
/// monitor's statistics over the epoch (teacher entropy: 0 for one-hot collapse, ln K for uniform collapse; teacher–student KL).
/// </summary>
public sealed record EpochReport(int Epoch, double MeanLoss, double LogOutDim, double KnnTopOne, double ImagesPerSecond, Evaluation.CollapseStatistics? Collapse)
{
    /// <summary>RankMe of the teacher's backbone features on a fixed sample of training images (<see cref="Evaluation.RankMe"/>); NaN when not measured.</summary>
    public double RankMe { get; init; } = double.NaN;

    /// <summary>Mean entropy of the teacher's sharpened outputs (NaN before training).</summary>
    public double TeacherEntropy => Collapse?.TeacherEntropy ?? double.NaN;

    /// <summary>Whether the collapse monitor calls the run collapsing.</summary>
    public bool Collapsing => Collapse?.IsCollapsing ?? false;
}
