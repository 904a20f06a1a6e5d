namespace DinoCompiled.Compiled;

/// <summary>
/// The buffers one compiled segment runs on. The generated code adds constant offsets to these pointers;
/// every shape that grows with the batch is a constant times <see cref="Units"/>.
/// </summary>
public readonly struct SegmentBuffers
{
    /// <summary>The flat parameter buffer (student or teacher).</summary>
    public Ptr Parameters { get; init; }

    /// <summary>
    /// The GPU bf16 schedules' copy of <see cref="Parameters"/>: the same layout in 2-byte bf16 values (so parameter
    /// offset o is at <c>ParametersBf16 + o / 2</c> in a Ptr's 4-byte units), written by AdamW for the student and by the EMA
    /// for the teacher. Unused by the CPU and fp32 schedules.
    /// </summary>
    public Ptr ParametersBf16 { get; init; }

    /// <summary>The flat gradient buffer, same layout; the backward accumulates into it.</summary>
    public Ptr Gradients { get; init; }

    /// <summary>The segment's arena: at least FixedFloats + FloatsPerUnit × Units floats, 64-byte aligned.</summary>
    public Ptr Arena { get; init; }

    /// <summary>Units of the batch: images of the crop group (backbone) or rows (head).</summary>
    public int Units { get; init; }

    /// <summary>Backbone: images [units, C, crop, crop]. Head: features [units, D].</summary>
    public Ptr Input { get; init; }

    /// <summary>Backbone: CLS features [units, D]. Head: logits [units, K].</summary>
    public Ptr Output { get; init; }

    /// <summary>The gradient of <see cref="Output"/>, for the backward.</summary>
    public Ptr OutputGradient { get; init; }

    /// <summary>Head only: where the backward writes the gradient of <see cref="Input"/>.</summary>
    public Ptr InputGradient { get; init; }

    /// <summary>Per-sample drop-path scales [blocks × 2, units] (0 or 1/(1−r)); null for none (the teacher).</summary>
    public Ptr DropScales { get; init; }

    /// <summary>The drop-path scales of one residual branch (block × 2 + 0 for attention, + 1 for the MLP), or null.</summary>
    public Ptr Drop(int slot) => DropScales.IsNull ? default : DropScales + (long)slot * Units;
}
