using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DinoCompiled.Data;

namespace DinoCompiled.Benchmarks.Data;

/// <summary>
/// The multi-crop loader alone on the bundled Fashion-MNIST subset, with FmnistTiny's recipe (global 28, 6 local crops
/// of 12, batch 128): how fast 2 workers fill batches when the consumer takes them at once. One operation is one batch;
/// images/s = 128 / (time per batch). The training step consumes about 150 images/s; the target is 3x that.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
public class MultiCropLoaderBenchmarks
{
    private const int BatchesPerInvoke = 64;

    private MultiCropLoader? _loader;
    private int _epoch;

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Workers { get; set; }

    /// <summary>Opens the subset and starts the loader and its first epoch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var dataset = FashionMnist.Open(Path.Combine(FindRepositoryRoot(), FashionMnist.BundledSubsetDirectory), DatasetSplit.Train);
        var config = new MultiCropConfig { GlobalSize = 28, LocalSize = 12, LocalCount = 6 };
        _loader = new MultiCropLoader(dataset, config, batchSize: 128, seed: 0, workerCount: Workers, prefetchDepth: 4);
        _loader.StartEpoch(_epoch);
    }

    /// <summary>Takes 64 batches (moving to the next epoch when one runs out) and hands each straight back.</summary>
    [Benchmark(OperationsPerInvoke = BatchesPerInvoke)]
    public float TakeBatches()
    {
        var loader = _loader!;
        float checksum = 0;
        for (int i = 0; i < BatchesPerInvoke; i++)
        {
            MultiCropBatch? batch;
            while (!loader.TryGetNext(out batch)) loader.StartEpoch(++_epoch);
            checksum += batch.GlobalCropSpan[0];
            batch.Release();
        }
        return checksum;
    }

    /// <summary>Stops the workers.</summary>
    [GlobalCleanup]
    public void Cleanup() => _loader?.Dispose();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DinoCompiled.sln"))) return dir.FullName;
        throw new InvalidOperationException("DinoCompiled.sln not found above " + AppContext.BaseDirectory);
    }
}
