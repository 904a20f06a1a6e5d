using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// The compiled forward/backward code of a model (C# members of its partial class), its memory plans, and the members
/// of its CUDA half (the module source, the kernel numbering and the CUDA schedules), or, when the CUDA backend cannot
/// serve the model, none and the reason (reported as DINO2001).
/// </summary>
internal sealed record CompiledSchedule(string Members, EquatableArray<SegmentPlan> Plans, string? CudaMembers, string? CudaUnavailable);
