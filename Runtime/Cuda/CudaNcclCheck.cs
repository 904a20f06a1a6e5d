using System;
using DinoCompiled.Compiled;
using DinoCompiled.Distributed;
using DinoCompiled.Training;

namespace DinoCompiled.Cuda;

/// <summary>
/// The data-parallel GPU step on one rank, through NCCL: a <see cref="CudaTrainer{TModel}"/> with a one-rank
/// <see cref="NcclCommunicator"/> (the head's bucket on the side stream, the backbone's, the center's column sums and the
/// loss all-reduced) against the same trainer without one, from the same weights on the same crops. With one rank each
/// all-reduce leaves its buffer as it is and the center pair is <c>dino_center_update</c> bit for bit, so every weight,
/// moment, center value and loss must be identical: a difference means the NCCL path reorders or loses work.
/// </summary>
public static class CudaNcclCheck
{
    /// <summary>Runs <paramref name="steps"/> steps of both trainers on <paramref name="device"/>.</summary>
    /// <exception cref="CudaLibraryNotFoundException">No libnccl here.</exception>
    public static CudaNcclCheckResult Run<TModel>(CudaDevice device, CudaPrecision precision, int batch, int localCrops, int steps) where TModel : ICudaDinoModel
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = batch, LocalCrops = localCrops, WarmupEpochs = 0, Seed = 7 };
        using var nccl = NcclCommunicator.Create(SingleProcess.Instance, device);
        using var alone = new CudaTrainer<TModel>(device, precision, options, iterationsPerEpoch: steps);
        using var ranked = new CudaTrainer<TModel>(device, precision, options, iterationsPerEpoch: steps, communicator: nccl);
        var crops = new RandomCrops(TModel.Description.Architecture, batch, localCrops, seed: 3, spread: 1);
        string? difference = null;
        for (int step = 0; step < steps && difference is null; step++, crops.Draw())
        {
            double expected = alone.TrainStep(crops.Global, crops.Local).Loss;
            double actual = ranked.TrainStep(crops.Global, crops.Local).Loss;
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
                difference = $"step {step}: loss {actual:R} against {expected:R}";
        }
        difference ??= FirstDifference("student", alone.Student, ranked.Student) ?? FirstDifference("teacher", alone.Teacher, ranked.Teacher)
            ?? FirstDifference("first moment", alone.FirstMoment, ranked.FirstMoment) ?? FirstDifference("second moment", alone.SecondMoment, ranked.SecondMoment)
            ?? FirstDifference("center", alone.Center, ranked.Center);
        return new CudaNcclCheckResult(TModel.Description.Name, precision, nccl.Engine, steps, difference);
    }

    private static string? FirstDifference(string name, DeviceBuffer expected, DeviceBuffer actual)
    {
        var x = expected.ToArray();
        var y = actual.ToArray();
        for (int i = 0; i < x.Length; i++)
            if (BitConverter.SingleToInt32Bits(x[i]) != BitConverter.SingleToInt32Bits(y[i]))
                return $"{name}[{i}]: {y[i]:R} against {x[i]:R}";
        return null;
    }
}
