using System;

namespace DinoCompiled;

/// <summary>
/// Declares a model layer by layer: the class's annotated members, in source order, are the forward order
/// (patch embedding, class token, position embedding, transformer blocks, LayerNorm, head).
/// The class must be <c>partial</c>; its layer members are parameterless <c>partial void</c> methods.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DinoModelAttribute : Attribute
{
    /// <summary>The model's name on the command line; by default the class name in kebab case.</summary>
    public string? Name { get; set; }

    /// <summary>Input channels (3 for RGB, 1 for grayscale).</summary>
    public int Channels { get; set; } = 3;

    /// <summary>The image size the position embedding is laid out for.</summary>
    public int ImageSize { get; set; } = 224;

    /// <summary>Stochastic depth rate of the last block; block i uses rate × i / (depth − 1).</summary>
    public double DropPathRate { get; set; } = 0.1;

    /// <summary>Epsilon of every LayerNorm.</summary>
    public double LayerNormEps { get; set; } = 1e-6;

    /// <summary>Size of the global crops the model is compiled for; 0 means <see cref="ImageSize"/>.</summary>
    public int GlobalCrop { get; set; }

    /// <summary>Size of the local crops the model is compiled for.</summary>
    public int LocalCrop { get; set; } = 96;
}
