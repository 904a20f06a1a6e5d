using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>
/// Runs a <see cref="Trainer{TModel}"/>'s steps somewhere else (the GPU), with the same schedules, random draws and
/// optimizer step counts. The trainer's host buffers are the state of record between steps only after
/// <see cref="Download"/>: a session pulls before it evaluates or writes a checkpoint, and pushes after a resume.
/// </summary>
public interface ITrainingAccelerator : IDisposable
{
    /// <summary>Where it runs, in words (device name, precision).</summary>
    string Description { get; }

    /// <summary>
    /// Runs step <paramref name="step"/> on host crops (crop-major, as the loader makes them). When
    /// <paramref name="monitor"/> is given, adds the step's teacher and student outputs and the center they used to it.
    /// Throws <see cref="TrainingDivergedException"/> before updating anything when the loss is not finite.
    /// </summary>
    StepReport TrainStep(long step, Ptr globalCrops, Ptr localCrops, Evaluation.CollapseMonitor? monitor);

    /// <summary>Copies the state (weights, moments, center, optimizer step counts) to the host buffers.</summary>
    void Download(NativeBuffer student, NativeBuffer teacher, NativeBuffer firstMoment, NativeBuffer secondMoment, NativeBuffer center, Span<long> optimizerSteps);

    /// <summary>Copies the state from the host buffers (after a resume).</summary>
    void Upload(NativeBuffer student, NativeBuffer teacher, NativeBuffer firstMoment, NativeBuffer secondMoment, NativeBuffer center, ReadOnlySpan<long> optimizerSteps);
}
