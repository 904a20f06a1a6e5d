using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Training;

namespace DinoCompiled.Cuda;

/// <summary>Times the whole DINO training step (<see cref="CudaTrainer{TModel}.TrainStepOnDevice"/>) on one batch of crops already on the GPU.</summary>
public static class CudaStepBenchmark
{
    /// <summary>Warms up (compiles, plans every GEMM), then times <paramref name="steps"/> steps and reports the median.</summary>
    public static CudaStepTiming Run<TModel>(CudaDevice device, CudaPrecision precision, int batch, int localCrops, int warmup, int steps)
        where TModel : ICudaDinoModel
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = batch, LocalCrops = localCrops, WarmupEpochs = 0 };
        using var trainer = new CudaTrainer<TModel>(device, precision, options, iterationsPerEpoch: warmup + steps);
        var crops = new RandomCrops(TModel.Description.Architecture, batch, localCrops, seed: 1, spread: 2);
        trainer.UploadCrops(crops.Global, crops.Local);

        for (int i = 0; i < warmup; i++) trainer.TrainStepOnDevice();
        var times = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            trainer.TrainStepOnDevice(); // synchronizes at the end
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return new CudaStepTiming(TModel.Description.Name, precision.ToString().ToLowerInvariant(), batch, localCrops, times[steps / 2], FlopsPerStep(TModel.Description, batch, localCrops));
    }

    /// <summary>
    /// One bf16 step timed node by node after <paramref name="warmup"/> steps (<see cref="CudaNodeTimer"/> on CUDA events):
    /// the measured device time per (stage, op), keyed as the performance model's estimates are.
    /// </summary>
    public static IReadOnlyList<CudaNodeTiming> TimeNodes<TModel>(CudaDevice device, int batch, int localCrops, int warmup) where TModel : ICudaDinoModel
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = batch, LocalCrops = localCrops, WarmupEpochs = 0 };
        using var trainer = new CudaTrainer<TModel>(device, CudaPrecision.Bf16, options, iterationsPerEpoch: warmup + 1);
        var crops = new RandomCrops(TModel.Description.Architecture, batch, localCrops, seed: 1, spread: 2);
        trainer.UploadCrops(crops.Global, crops.Local);
        for (int i = 0; i < warmup; i++) trainer.TrainStepOnDevice();
        using var clock = new CudaEventClock(device);
        var timer = trainer.CompiledStep.StartNodeTiming(clock);
        timer.Start();
        trainer.TrainStepOnDevice();
        var rows = timer.Finish();
        trainer.CompiledStep.StopNodeTiming();
        return rows;
    }

    /// <summary>Teacher forward on 2 global crops + 3 × student forward on 2 global and <paramref name="localCrops"/> local crops, per image, times the batch.</summary>
    public static double FlopsPerStep(ModelDescription description, int batch, int localCrops)
    {
        var global = description.Flops[0];
        var local = description.Flops.Length > 1 ? description.Flops[1] : global;
        double teacher = 2.0 * global.TotalFlops;
        double student = 2.0 * global.TotalFlops + (double)localCrops * local.TotalFlops;
        return batch * (teacher + 3 * student);
    }
}
