namespace DinoCompiled;

/// <summary>
/// The static memory plan of one compiled segment (the backbone at one crop size, or the head): its arena holds
/// <see cref="FixedFloats"/> + <see cref="FloatsPerUnit"/> × units floats, where a unit is an image of the crop group
/// (backbone) or a row (head). The unplanned figures are what the same tensors would take without reuse.
/// </summary>
/// <param name="Segment">The segment's name (<c>Backbone224</c>, <c>Head</c>).</param>
/// <param name="Crop">The crop size, or 0 for the head.</param>
/// <param name="FixedFloats">Floats that do not grow with the batch.</param>
/// <param name="FloatsPerUnit">Floats per unit of the batch.</param>
/// <param name="UnplannedFixedFloats">Fixed floats without reuse.</param>
/// <param name="UnplannedFloatsPerUnit">Floats per unit without reuse.</param>
/// <param name="KernelCalls">Kernel calls in the forward and backward together.</param>
public sealed record ArenaPlan(string Segment, int Crop, long FixedFloats, long FloatsPerUnit, long UnplannedFixedFloats, long UnplannedFloatsPerUnit, int KernelCalls)
{
    /// <summary>The forward tensors left intact in the arena when the forward returns (backbone segments); empty for the head.</summary>
    public System.Collections.Immutable.ImmutableArray<ArenaTap> Taps { get; init; } = System.Collections.Immutable.ImmutableArray<ArenaTap>.Empty;

    /// <summary>The tap named <paramref name="name"/>; a one-line error naming the segment and the taps it has otherwise.</summary>
    public ArenaTap Tap(string name)
    {
        foreach (var tap in Taps)
            if (tap.Name == name) return tap;
        throw new System.ArgumentException($"{Segment} has no tap '{name}'; it has: {(Taps.IsEmpty ? "none" : string.Join(", ", System.Linq.Enumerable.Select(Taps, t => t.Name)))}", nameof(name));
    }

    /// <summary>Arena bytes for <paramref name="units"/> units.</summary>
    public long Bytes(long units) => (FixedFloats + FloatsPerUnit * units) * sizeof(float);

    /// <summary>How many times less memory the plan needs than one buffer per tensor (per unit).</summary>
    public double Reuse => FloatsPerUnit == 0 ? 1 : (double)UnplannedFloatsPerUnit / FloatsPerUnit;
}
