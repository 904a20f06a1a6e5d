using System.Collections.Immutable;

namespace DinoCompiled.Cuda;

/// <summary>
/// A segment's GPU plan, computed at build time: the arena under bf16 storage without T x T slots, for the training step
/// (forward + backward) and for a forward alone (the teacher), and the cost of each node in schedule order.
/// </summary>
/// <param name="Segment">The segment (<c>Backbone224</c>, <c>Head</c>).</param>
/// <param name="Crop">Its crop size, 0 for the head.</param>
/// <param name="TrainingFixedBytes">Training arena bytes that do not grow with the batch.</param>
/// <param name="TrainingBytesPerUnit">Training arena bytes per unit (an image of the crop, or a head row).</param>
/// <param name="ForwardFixedBytes">Forward-only arena bytes that do not grow with the batch.</param>
/// <param name="ForwardBytesPerUnit">Forward-only arena bytes per unit: what a teacher forward needs.</param>
/// <param name="Nodes">The cost of every node, forward then backward, in schedule order.</param>
public sealed record GpuSegmentPlan(string Segment, int Crop, long TrainingFixedBytes, long TrainingBytesPerUnit, long ForwardFixedBytes,
    long ForwardBytesPerUnit, ImmutableArray<GpuNodeCost> Nodes)
{
    /// <summary>The training arena for <paramref name="units"/> units.</summary>
    public long TrainingBytes(long units) => TrainingFixedBytes + TrainingBytesPerUnit * units;

    /// <summary>The forward-only arena for <paramref name="units"/> units.</summary>
    public long ForwardBytes(long units) => ForwardFixedBytes + ForwardBytesPerUnit * units;
}
