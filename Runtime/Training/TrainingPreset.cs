namespace DinoCompiled.Training;

/// <summary>A named starting point for <see cref="TrainingOptions"/>; every value can still be set on its own.</summary>
public enum TrainingPreset
{
    /// <summary>The reference's defaults (main_dino.py; DINO-SPEC.md).</summary>
    Standard,

    /// <summary>
    /// For thousands to a few hundred thousand images, trained for a few epochs: teacher momentum 0.99 (the teacher
    /// follows a student that sees few steps), base learning rate 1e-3, and the teacher temperature rising from 0.04 to
    /// 0.07 over the first 2 epochs (the reference's advice when 0.04 is too sharp for a short run). docs/MEASUREMENTS.md
    /// has what it gains on Fashion-MNIST.
    /// </summary>
    SmallData,
}
