namespace DinoCompiled.Training;

/// <summary>What one training step did: its loss and the schedule values it used.</summary>
public readonly record struct StepReport(long Step, int Epoch, double Loss, double LearningRate, double WeightDecay, double TeacherMomentum, double TeacherTemperature);
