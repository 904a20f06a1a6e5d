using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Compiler;

/// <summary>The compiled forward/backward code of a model (C# members of its partial class) and its memory plans.</summary>
internal sealed record CompiledSchedule(string Members, EquatableArray<SegmentPlan> Plans);
