using System.Collections.Generic;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Where every arena tensor of a segment lives: fixed tensors at constant offsets, per-unit tensors at
/// FixedFloats + offset × units. Offsets and sizes are in floats, aligned to 16 (64 bytes).
/// </summary>
internal sealed class MemoryPlan
{
    public Dictionary<GraphTensor, long> Offsets { get; } = new();

    /// <summary>Floats of the arena that do not grow with the batch (the resized position grid, the last layer's W).</summary>
    public long FixedFloats { get; set; }

    /// <summary>Floats of the arena per unit of the batch.</summary>
    public long FloatsPerUnit { get; set; }

    /// <summary>What the same tensors would take without reuse, for comparison.</summary>
    public long UnplannedFixedFloats { get; set; }

    public long UnplannedFloatsPerUnit { get; set; }
}
