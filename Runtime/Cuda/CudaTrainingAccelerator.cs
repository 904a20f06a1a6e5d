using System;
using DinoCompiled.Compiled;
using DinoCompiled.Training;

namespace DinoCompiled.Cuda;

/// <summary>Plugs a <see cref="CudaTrainer{TModel}"/> into a CPU <see cref="Trainer{TModel}"/>: <c>dino train --device cuda</c>.</summary>
/// <typeparam name="TModel">A model compiled by the generator with its CUDA module.</typeparam>
public sealed class CudaTrainingAccelerator<TModel> : ITrainingAccelerator where TModel : ICudaDinoModel
{
    private readonly CudaDevice _device;
    private readonly CudaTrainer<TModel> _trainer;
    private readonly Distributed.NcclCommunicator? _communicator;

    /// <summary>
    /// Opens the GPU state for a run with these options, starting from the host trainer's weights. With
    /// <paramref name="communicator"/> (which it then owns) this GPU is one rank of a data-parallel run.
    /// </summary>
    public CudaTrainingAccelerator(CudaDevice device, CudaPrecision precision, TrainingOptions options, int iterationsPerEpoch, ReadOnlySpan<float> initialStudent,
        Distributed.NcclCommunicator? communicator = null)
    {
        _device = device;
        _communicator = communicator;
        _trainer = new CudaTrainer<TModel>(device, precision, options, iterationsPerEpoch, initialStudent, communicator);
    }

    /// <inheritdoc/>
    public string Description =>
        (_trainer.Precision == CudaPrecision.Bf16 ? $"{_device}, bf16 schedules" : $"{_device}, {_trainer.Precision.ToString().ToLowerInvariant()} GEMMs") +
        (_communicator is null ? "" : $", gradients summed over {_communicator.Size} ranks by {_communicator.Engine}");

    /// <inheritdoc/>
    public StepReport TrainStep(long step, Ptr globalCrops, Ptr localCrops, Evaluation.CollapseMonitor? monitor)
    {
        // The context is current on the thread that opened the device; the trainer may run its steps on another.
        _device.MakeCurrent();
        _trainer.Step = step;
        return _trainer.TrainStep(globalCrops, localCrops, monitor);
    }

    /// <inheritdoc/>
    public void Download(NativeBuffer student, NativeBuffer teacher, NativeBuffer firstMoment, NativeBuffer secondMoment, NativeBuffer center, Span<long> optimizerSteps)
    {
        _device.MakeCurrent();
        _trainer.Student.Download(student.Ptr, student.Length);
        _trainer.Teacher.Download(teacher.Ptr, teacher.Length);
        _trainer.FirstMoment.Download(firstMoment.Ptr, firstMoment.Length);
        _trainer.SecondMoment.Download(secondMoment.Ptr, secondMoment.Length);
        _trainer.Center.Download(center.Ptr, center.Length);
        _trainer.Optimizer.Steps.CopyTo(optimizerSteps);
    }

    /// <inheritdoc/>
    public void Upload(NativeBuffer student, NativeBuffer teacher, NativeBuffer firstMoment, NativeBuffer secondMoment, NativeBuffer center, ReadOnlySpan<long> optimizerSteps)
    {
        _device.MakeCurrent();
        _trainer.Student.Upload(student.Ptr, student.Length);
        _trainer.Teacher.Upload(teacher.Ptr, teacher.Length);
        _trainer.FirstMoment.Upload(firstMoment.Ptr, firstMoment.Length);
        _trainer.SecondMoment.Upload(secondMoment.Ptr, secondMoment.Length);
        _trainer.Center.Upload(center.Ptr, center.Length);
        optimizerSteps.CopyTo(_trainer.Optimizer.Steps);
        _trainer.WeightsChanged();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Every buffer, module and cuBLASLt handle goes before the context: releasing the last reference to the primary
        // context destroys it, and later frees would fail.
        try
        {
            _device.MakeCurrent();
            try
            {
                _trainer.Dispose();
            }
            finally
            {
                _communicator?.Dispose();
            }
        }
        finally
        {
            _device.Dispose();
        }
    }
}
