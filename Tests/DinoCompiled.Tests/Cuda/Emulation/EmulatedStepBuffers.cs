using System;
using System.Collections.Generic;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;

namespace DinoCompiled.Tests.Cuda.Emulation;

/// <summary>
/// Host buffers for one emulated GPU step of a <see cref="CudaStepLayout"/>, sized as the device step sizes them and
/// filled with NaN, so that a schedule reading what it has not written fails its comparison.
/// </summary>
internal sealed class EmulatedStepBuffers : IDisposable
{
    private readonly List<NativeBuffer> _buffers = new();

    public EmulatedStepBuffers(CudaStepLayout layout, long flatLength)
    {
        Step = new CudaStepBuffers
        {
            GlobalArena = Poisoned(layout.GlobalArena).Ptr, LocalArena = Poisoned(layout.LocalArena).Ptr, HeadArena = Poisoned(layout.HeadArena).Ptr,
            Features = Poisoned(layout.Features).Ptr, FeatureGradients = Poisoned(layout.Features).Ptr, Logits = Poisoned(layout.Logits).Ptr,
            LogitGradients = Poisoned(layout.Logits).Ptr, TeacherFeatures = Poisoned(layout.TeacherFeatures).Ptr, TeacherLogits = Poisoned(layout.TeacherLogits).Ptr,
            TeacherProbabilities = Poisoned(layout.TeacherLogits).Ptr, RowLosses = Poisoned(layout.RowLosses).Ptr,
        };
        Gradients = Poisoned(flatLength);
    }

    /// <summary>The step's buffers, as <see cref="CudaDinoStep{TModel}"/> hands them to the sequence.</summary>
    public CudaStepBuffers Step { get; }

    /// <summary>The flat gradient buffer (the sequence clears it before the backward).</summary>
    public NativeBuffer Gradients { get; }

    /// <summary>Another poisoned buffer that goes with these (bf16 weight copies).</summary>
    public NativeBuffer Poisoned(long floats)
    {
        var buffer = new NativeBuffer(Math.Max(1, floats));
        buffer.Span.Fill(float.NaN);
        _buffers.Add(buffer);
        return buffer;
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
    }
}
