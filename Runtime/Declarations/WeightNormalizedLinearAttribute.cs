using System;

namespace DinoCompiled;

/// <summary>
/// The head's last layer: a Linear without bias whose weight is W = g · v / ‖v‖ per output row
/// (<c>last_layer.weight_g</c>, <c>last_layer.weight_v</c>). The last member of a model.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WeightNormalizedLinearAttribute : Attribute
{
    /// <summary>Number of prototypes K (required); at least the bottleneck width.</summary>
    public int Out { get; set; }

    /// <summary>When true <c>weight_g</c> stays 1 and is not trained.</summary>
    public bool NormLastLayer { get; set; } = true;
}
