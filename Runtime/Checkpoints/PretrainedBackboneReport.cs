using System.Collections.Generic;

namespace DinoCompiled.Checkpoints;

/// <summary>What <see cref="PretrainedBackbone.Load"/> read.</summary>
/// <param name="Source">"a backbone", or "the teacher of a training checkpoint".</param>
/// <param name="Tensors">Backbone tensors loaded (all of the model's).</param>
/// <param name="Ignored">Keys of the file left out on purpose: a classifier head.</param>
/// <param name="ResizedGrid">The position grid's side in the file and in the model, when it was resized.</param>
public sealed record PretrainedBackboneReport(string Source, int Tensors, IReadOnlyList<string> Ignored, (int From, int To)? ResizedGrid);
