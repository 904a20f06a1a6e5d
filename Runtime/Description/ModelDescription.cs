using System.Collections.Immutable;

namespace DinoCompiled;

/// <summary>What the generator compiled for one model: its names, architecture, parameter table and costs.</summary>
/// <param name="Name">The command-line name (<c>vit-small-16</c>).</param>
/// <param name="TypeName">The declaring class, with its namespace.</param>
/// <param name="Architecture">The hyperparameters.</param>
/// <param name="Parameters">The parameter table.</param>
/// <param name="Flops">Forward FLOPs per image for each compiled crop size (global first).</param>
/// <param name="Arenas">The memory plan of each compiled segment: the backbone per crop size, then the head.</param>
public sealed record ModelDescription(
    string Name,
    string TypeName,
    ArchitectureInfo Architecture,
    ParameterTable Parameters,
    ImmutableArray<CropFlops> Flops,
    ImmutableArray<ArenaPlan> Arenas);
