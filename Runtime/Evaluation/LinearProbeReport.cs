using System.Collections.Immutable;

namespace DinoCompiled.Evaluation;

/// <summary>What the probe's training found: the validation accuracy of every learning rate tried, the one chosen, and the final run's loss per epoch.</summary>
public sealed record LinearProbeReport(ImmutableArray<(double LearningRate, double ValidationTop1)> Sweep, double ChosenLearningRate, ImmutableArray<double> EpochLosses);
