using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Compiler;

/// <summary>The memory plan of one compiled segment, as numbers for the description and <c>dino inspect</c>, with its taps.</summary>
internal sealed record SegmentPlan(string Segment, int Crop, long FixedFloats, long FloatsPerUnit, long UnplannedFixedFloats, long UnplannedFloatsPerUnit, int Nodes,
    EquatableArray<TapPlan> Taps);
