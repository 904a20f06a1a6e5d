using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>
/// Multi-crop batches for the trainer, in the layout <see cref="StepInputs"/> expects (crop-major global and local
/// crops). The order is a function of (seed, epoch, batch index) only, so <see cref="Seek"/> can resume mid-epoch.
/// </summary>
public interface ITrainingBatches : IDisposable
{
    /// <summary>Full batches per epoch (the last incomplete one is dropped, as DINO does).</summary>
    int IterationsPerEpoch { get; }

    /// <summary>Positions the source at batch <paramref name="batchInEpoch"/> of <paramref name="epoch"/>.</summary>
    void Seek(int epoch, int batchInEpoch);

    /// <summary>The next batch; its buffers stay valid until the next call.</summary>
    (Ptr GlobalCrops, Ptr LocalCrops) Next();
}
