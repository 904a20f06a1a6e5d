using System;

namespace DinoCompiled.Training;

/// <summary>
/// The per-iteration schedules of a run, as the reference builds them: learning rate (linear warm-up, then cosine to
/// the minimum), weight decay (cosine, no warm-up), teacher momentum (cosine to 1), and the per-epoch teacher
/// temperature (linear warm-up, then constant).
/// </summary>
public sealed class DinoSchedules
{
    private readonly TrainingOptions _options;

    /// <summary>Builds the schedules of a run of <paramref name="iterationsPerEpoch"/> steps per epoch.</summary>
    public DinoSchedules(TrainingOptions options, int iterationsPerEpoch)
    {
        _options = options;
        IterationsPerEpoch = iterationsPerEpoch;
        LearningRate = new CosineSchedule(options.ScaledLearningRate, options.MinLearningRate, options.Epochs, iterationsPerEpoch, options.EffectiveWarmupEpochs);
        WeightDecay = new CosineSchedule(options.WeightDecay, options.WeightDecayEnd, options.Epochs, iterationsPerEpoch);
        TeacherMomentum = new CosineSchedule(options.TeacherMomentum, 1.0, options.Epochs, iterationsPerEpoch);
    }

    /// <summary>Steps per epoch.</summary>
    public int IterationsPerEpoch { get; }

    /// <summary>Learning rate per step.</summary>
    public CosineSchedule LearningRate { get; }

    /// <summary>Weight decay per step.</summary>
    public CosineSchedule WeightDecay { get; }

    /// <summary>Teacher EMA momentum per step.</summary>
    public CosineSchedule TeacherMomentum { get; }

    /// <summary>np.linspace(warmup, final, W) for the first W epochs, then the final temperature.</summary>
    public double TeacherTemperature(int epoch)
    {
        int warmup = _options.WarmupTeacherTemperatureEpochs;
        if (epoch >= warmup) return _options.TeacherTemperature;
        return warmup == 1
            ? _options.WarmupTeacherTemperature
            : _options.WarmupTeacherTemperature + (_options.TeacherTemperature - _options.WarmupTeacherTemperature) * epoch / (warmup - 1);
    }
}
