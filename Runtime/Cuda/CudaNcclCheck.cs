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
        var a = TModel.Description.Architecture;
        var random = new Random(3);
        var globalCrops = new float[2L * batch * a.Channels * a.GlobalCrop * a.GlobalCrop];
        var localCropValues = new float[Math.Max(1, (long)localCrops * batch * a.Channels * a.LocalCrop * a.LocalCrop)];
        string? difference = null;
        for (int step = 0; step < steps && difference is null; step++)
        {
            foreach (var values in new[] { globalCrops, localCropValues })
                for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
            double expected = alone.TrainStep(globalCrops, localCropValues).Loss;
            double actual = ranked.TrainStep(globalCrops, localCropValues).Loss;
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
