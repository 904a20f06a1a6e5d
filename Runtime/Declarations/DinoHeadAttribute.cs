using System;

namespace DinoCompiled;

/// <summary>
/// Declares the DINO projection head: an MLP (<see cref="Layers"/> Linear layers with GELU between them)
/// ending in <see cref="Bottleneck"/> features, L2-normalization, and a weight-normalized Linear to
/// <see cref="OutDim"/> prototypes without bias.
/// On a class it completes a <see cref="VisionTransformerAttribute"/>; on a member it is the head of a
/// <see cref="DinoModelAttribute"/> class, after the final <see cref="LayerNormAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DinoHeadAttribute : Attribute
{
    /// <summary>Number of prototypes K (the width of the output the loss compares).</summary>
    public int OutDim { get; set; } = 65536;

    /// <summary>Width of the hidden MLP layers.</summary>
    public int Hidden { get; set; } = 2048;

    /// <summary>Width of the features that are L2-normalized before the last layer.</summary>
    public int Bottleneck { get; set; } = 256;

    /// <summary>Number of Linear layers in the MLP (1 means a single Linear to the bottleneck).</summary>
    public int Layers { get; set; } = 3;

    /// <summary>When true the last layer's <c>weight_g</c> stays 1 and is not trained.</summary>
    public bool NormLastLayer { get; set; } = true;
}
