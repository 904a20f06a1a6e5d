using DinoCompiled.Compiled;
using DinoCompiled.Data;

namespace DinoCompiled.Training;

/// <summary>
/// The trainer's batch source over a <see cref="MultiCropLoader"/>. The loader's order is a function of (seed, epoch,
/// batch), so seeking mid-epoch starts the loader at that batch: a resume sees exactly the batches the run would have.
/// </summary>
public sealed unsafe class LoaderBatches : ITrainingBatches
{
    private readonly MultiCropLoader _loader;
    private MultiCropBatch? _current;

    /// <summary>Batches of <paramref name="loader"/>, which this object owns.</summary>
    public LoaderBatches(MultiCropLoader loader) => _loader = loader;

    /// <inheritdoc/>
    public int IterationsPerEpoch => _loader.BatchesPerEpoch;

    /// <inheritdoc/>
    public void Seek(int epoch, int batchInEpoch)
    {
        ReleaseCurrent();
        _loader.StartEpoch(epoch, batchInEpoch);
    }

    /// <inheritdoc/>
    public (Ptr GlobalCrops, Ptr LocalCrops) Next()
    {
        ReleaseCurrent();
        if (!_loader.TryGetNext(out var batch)) throw new System.InvalidOperationException("The loader ran out of batches before the end of the epoch.");
        _current = batch;
        return (new Ptr(batch.GlobalCrops), new Ptr(batch.LocalCrops));
    }

    /// <summary>Stops the loader's workers and frees its buffers.</summary>
    public void Dispose()
    {
        ReleaseCurrent();
        _loader.Dispose();
    }

    private void ReleaseCurrent()
    {
        _current?.Release();
        _current = null;
    }
}
