using System;

namespace DinoCompiled.Cuda;

/// <summary>
/// Host crops of uniform noise for the GPU checks and benchmarks (<see cref="CudaStepBenchmark"/>, <see cref="CudaNcclCheck"/>):
/// the global and local crops of a batch, crop-major as the loader makes them, redrawn with <see cref="Draw"/>.
/// </summary>
internal sealed class RandomCrops
{
    private readonly Random _random;
    private readonly double _spread;

    public RandomCrops(ArchitectureInfo architecture, int batch, int localCrops, int seed, double spread)
    {
        _random = new Random(seed);
        _spread = spread;
        Global = new float[2L * batch * architecture.Channels * architecture.GlobalCrop * architecture.GlobalCrop];
        Local = new float[Math.Max(1, (long)localCrops * batch * architecture.Channels * architecture.LocalCrop * architecture.LocalCrop)];
        Draw();
    }

    /// <summary>[2·batch, C, global, global].</summary>
    public float[] Global { get; }

    /// <summary>[localCrops·batch, C, local, local] (one value when there are no local crops).</summary>
    public float[] Local { get; }

    /// <summary>New values in [−spread, spread) for both.</summary>
    public void Draw()
    {
        foreach (var values in new[] { Global, Local })
            for (int i = 0; i < values.Length; i++) values[i] = (float)((_random.NextDouble() * 2 - 1) * _spread);
    }
}
