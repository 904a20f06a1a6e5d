namespace DinoCompiled.Training;

/// <summary>
/// Every knob of a DINO run, with the reference implementation's defaults (main_dino.py; DINO-SPEC.md). The learning
/// rate is the base for a total batch of 256 and scales linearly with the batch.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs to train.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Local crops per image (the reference's default; the paper's best is 10).</summary>
    public int LocalCrops { get; init; } = 8;

    /// <summary>Peak learning rate for a batch of 256 (scaled by batch/256).</summary>
    public double LearningRate { get; init; } = 0.0005;

    /// <summary>Learning rate at the end of the cosine.</summary>
    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>
    /// Linear warm-up epochs. Null means the reference's 10, capped at a quarter of the run so that a short run still
    /// reaches its peak learning rate (4 epochs warm up for 1).
    /// </summary>
    public int? WarmupEpochs { get; init; }

    /// <summary>Weight decay at the start of the cosine.</summary>
    public double WeightDecay { get; init; } = 0.04;

    /// <summary>Weight decay at the end of the cosine.</summary>
    public double WeightDecayEnd { get; init; } = 0.4;

    /// <summary>Per-tensor gradient-norm clip (0 disables).</summary>
    public double ClipGrad { get; init; } = 3.0;

    /// <summary>Epochs during which the head's last layer is not trained.</summary>
    public int FreezeLastLayerEpochs { get; init; } = 1;

    /// <summary>Teacher EMA momentum at the start; it rises to 1 on a cosine.</summary>
    public double TeacherMomentum { get; init; } = 0.996;

    /// <summary>Teacher temperature after its warm-up.</summary>
    public double TeacherTemperature { get; init; } = 0.04;

    /// <summary>Teacher temperature at the start of its warm-up.</summary>
    public double WarmupTeacherTemperature { get; init; } = 0.04;

    /// <summary>Epochs of linear teacher-temperature warm-up (reference code: 0; paper recipe: 30).</summary>
    public int WarmupTeacherTemperatureEpochs { get; init; }

    /// <summary>Student temperature.</summary>
    public double StudentTemperature { get; init; } = 0.1;

    /// <summary>Center EMA momentum.</summary>
    public double CenterMomentum { get; init; } = 0.9;

    /// <summary>Scale range of the global crops' random resized crop.</summary>
    public (double Min, double Max) GlobalCropsScale { get; init; } = (0.4, 1.0);

    /// <summary>Scale range of the local crops' random resized crop.</summary>
    public (double Min, double Max) LocalCropsScale { get; init; } = (0.05, 0.4);

    /// <summary>Seed of everything random: weights, shuffles, augmentations, drop path.</summary>
    public int Seed { get; init; }

    /// <summary>Neighbours of the k-NN evaluation.</summary>
    public int KnnK { get; init; } = 20;

    /// <summary>Temperature of the k-NN vote weights.</summary>
    public double KnnTemperature { get; init; } = 0.07;

    /// <summary>The warm-up actually used for <see cref="Epochs"/>.</summary>
    public int EffectiveWarmupEpochs => WarmupEpochs ?? System.Math.Min(10, Epochs / 4);

    /// <summary>The peak learning rate for <see cref="BatchSize"/>: base × batch / 256.</summary>
    public double ScaledLearningRate => LearningRate * BatchSize / 256.0;

    /// <summary>The options of a preset; change any of them with <c>with { ... }</c>.</summary>
    public static TrainingOptions For(TrainingPreset preset) => preset switch
    {
        TrainingPreset.Standard => new TrainingOptions(),
        TrainingPreset.SmallData => new TrainingOptions
        {
            TeacherMomentum = 0.99, LearningRate = 1e-3, WarmupTeacherTemperature = 0.04, TeacherTemperature = 0.07, WarmupTeacherTemperatureEpochs = 2,
        },
        _ => throw new System.ArgumentOutOfRangeException(nameof(preset), preset, "not a training preset"),
    };
}
