using System.Collections.Generic;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// A segment's GPU plan (see <see cref="GpuSegmentPlanner"/>): arena bytes for the training step and for the forward
/// alone, and the cost of every node in schedule order.
/// </summary>
internal sealed record GpuSegmentPlan(string Segment, int Crop, long TrainingFixedBytes, long TrainingBytesPerUnit, long ForwardFixedBytes,
    long ForwardBytesPerUnit, IReadOnlyList<GpuNodeCost> Nodes);
