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

    /// <summary>
    /// Saves the complete state at the trainer's current step, at the end of an epoch or where a run was stopped
    /// (atomically: a failure leaves the previous checkpoint intact).
    /// </summary>
    void SaveCheckpoint();

    /// <summary>Called after every step.</summary>
    void StepDone(StepReport report, double imagesPerSecond, TimeSpan remaining);

    /// <summary>Called after every evaluation (epoch −1 is the initialization).</summary>
    void EpochDone(EpochReport report);
}
