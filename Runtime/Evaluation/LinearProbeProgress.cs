namespace DinoCompiled.Evaluation;

/// <summary>One epoch of one probe run: which learning rate (and whether it is the sweep or the final run), the epoch and its mean loss.</summary>
public sealed record LinearProbeProgress(double LearningRate, bool Final, int Epoch, int Epochs, double Loss);
