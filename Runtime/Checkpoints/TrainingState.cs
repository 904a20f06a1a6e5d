using System;
using System.Collections.Generic;
using DinoCompiled.Compiled;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// Everything a DINO run needs to continue exactly where it stopped, as <see cref="TrainingCheckpoint"/> saves and loads it.
/// The flat buffers are <see cref="Memory{T}"/> rather than spans or pointers because a class cannot hold a span and the
/// writer keeps the memory until the file is written; <see cref="Wrap(NativeBuffer)"/> views a native buffer without a copy.
/// Each flat buffer holds <see cref="ParameterTable.FlatLength"/> floats laid out as the table says.
/// </summary>
public sealed class TrainingState
{
    /// <summary>The model's command-line name (<c>fmnist-tiny</c>); saved in the metadata and checked on load.</summary>
    public string ModelName { get; set; } = "";

    /// <summary>The student's parameters (flat).</summary>
    public Memory<float> StudentParameters { get; set; }

    /// <summary>The teacher's parameters (flat).</summary>
    public Memory<float> TeacherParameters { get; set; }

    /// <summary>AdamW's first moments, <c>exp_avg</c> (flat; only trainable tensors are saved, the rest load as zero).</summary>
    public Memory<float> FirstMoments { get; set; }

    /// <summary>AdamW's second moments, <c>exp_avg_sq</c> (flat; only trainable tensors are saved, the rest load as zero).</summary>
    public Memory<float> SecondMoments { get; set; }

    /// <summary>AdamW's step count per tensor, in table order (<see cref="Training.AdamW.Steps"/>); one entry per table row.</summary>
    public long[] OptimizerSteps { get; set; } = Array.Empty<long>();

    /// <summary>The DINO center, K floats (saved with shape [1, K]).</summary>
    public Memory<float> Center { get; set; }

    /// <summary>Optimizer steps taken over the whole run.</summary>
    public long Step { get; set; }

    /// <summary>The epoch to run next (or the current one, as the caller counts; saved as given).</summary>
    public long Epoch { get; set; }

    /// <summary>
    /// The random-number and data-loader state, opaque to the checkpoint (saved as a U8 tensor). A caller with a few
    /// 64-bit words passes <c>MemoryMarshal.AsBytes</c> of them; <see cref="TrainingCheckpoint.Load"/> replaces the array.
    /// </summary>
    public byte[] RngState { get; set; } = Array.Empty<byte>();

    /// <summary>
    /// The run's configuration as strings (learning rate, batch, seed...), saved in <c>__metadata__</c>.
    /// The keys <see cref="TrainingCheckpoint.ReservedMetadataKeys"/> are the checkpoint's own and cannot be set here;
    /// <see cref="TrainingCheckpoint.Load"/> replaces the dictionary with the file's entries, less those.
    /// </summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A view of a native buffer for the properties above; the buffer must outlive the save or load.</summary>
    public static unsafe Memory<float> Wrap(NativeBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return new TrainingNativeMemory(buffer.Data, buffer.Length).Memory;
    }

    /// <summary>A view of <paramref name="length"/> native floats; they must outlive the save or load.</summary>
    public static unsafe Memory<float> Wrap(float* data, long length) => new TrainingNativeMemory(data, length).Memory;
}
