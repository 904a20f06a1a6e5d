using DinoCompiled.Compiled;
using DinoCompiled.Data;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// The trainer's batch source over a <see cref="MultiCropLoader"/>. The loader's order is a function of (seed, epoch,
/// batch), so seeking mid-epoch starts the loader at that batch: a resume sees exactly the batches the run would have.
/// </summary>
public sealed unsafe class LoaderBatches : ITrainingBatches
{
    private readonly MultiCropLoader _loader;
    private MultiCropBatch? _current;

    public LoaderBatches(MultiCropLoader loader) => _loader = loader;

    public int IterationsPerEpoch => _loader.BatchesPerEpoch;

    public void Seek(int epoch, int batchInEpoch)
    {
        ReleaseCurrent();
        _loader.StartEpoch(epoch, batchInEpoch);
    }

    public (Ptr GlobalCrops, Ptr LocalCrops) Next()
    {
        ReleaseCurrent();
        if (!_loader.TryGetNext(out var batch)) throw new System.InvalidOperationException("The loader ran out of batches before the end of the epoch.");
        _current = batch;
        return (new Ptr(batch.GlobalCrops), new Ptr(batch.LocalCrops));
    }

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
