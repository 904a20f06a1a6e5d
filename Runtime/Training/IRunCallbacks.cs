using System;

namespace DinoCompiled.Training;

/// <summary>
/// What a training session asks of its host: k-NN accuracy of features, writing a checkpoint, and progress. Keeps the
/// session free of file formats and consoles, so tests can drive it.
/// </summary>
public interface IRunCallbacks
{
    /// <summary>Top-1 k-NN accuracy (0..1) of test features against train features.</summary>
    double KnnTopOne(ReadOnlySpan<float> trainFeatures, IEvaluationImages train, ReadOnlySpan<float> testFeatures, IEvaluationImages test, int dimension);

    /// <summary>Saves the complete state after <paramref name="epoch"/> (atomically: a failure leaves the previous one intact).</summary>
    void SaveCheckpoint(int epoch);

    /// <summary>Called after every step.</summary>
    void StepDone(StepReport report, double imagesPerSecond, TimeSpan remaining);

    /// <summary>Called after every evaluation (epoch −1 is the initialization).</summary>
    void EpochDone(EpochReport report);
}
