namespace DinoCompiled.Cuda;

/// <summary>The measured speed of a whole DINO training step on the GPU.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Mode">fp32, tf32 or bf16.</param>
/// <param name="Batch">Images per step.</param>
/// <param name="LocalCrops">Local crops per image.</param>
/// <param name="MillisecondsPerStep">The median over the timed steps.</param>
/// <param name="FlopsPerStep">Model FLOPs of one step: the teacher's forward on the 2 global crops plus 3× the student's forward on every crop (forward + backward).</param>
public sealed record CudaStepTiming(string Model, string Mode, int Batch, int LocalCrops, double MillisecondsPerStep, double FlopsPerStep)
{
    /// <summary>Training images per second.</summary>
    public double ImagesPerSecond => Batch / (MillisecondsPerStep / 1000.0);

    /// <summary>Achieved model FLOP/s.</summary>
    public double FlopsPerSecond => FlopsPerStep / (MillisecondsPerStep / 1000.0);
}
