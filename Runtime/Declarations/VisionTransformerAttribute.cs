using System;

namespace DinoCompiled;

/// <summary>
/// Declares a model's backbone as a Vision Transformer from its hyperparameters (the preset form).
/// Put it on a <c>partial</c> class together with <see cref="DinoHeadAttribute"/>; the generator lowers it to
/// the same layer sequence a <see cref="DinoModelAttribute"/> class spells out member by member.
/// </summary>
/// <remarks>Defaults follow the reference DINO recipe (ViT-B/16 shape, qkv bias, drop path 0.1, LayerNorm eps 1e-6).</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class VisionTransformerAttribute : Attribute
{
    /// <summary>The model's name on the command line; by default the class name in kebab case (<c>VitSmall16</c> is <c>vit-small-16</c>).</summary>
    public string? Name { get; set; }

    /// <summary>Input channels (3 for RGB, 1 for grayscale).</summary>
    public int Channels { get; set; } = 3;

    /// <summary>The image size the position embedding is laid out for.</summary>
    public int ImageSize { get; set; } = 224;

    /// <summary>Side of a square patch; the patch embedding is a convolution with this kernel and stride.</summary>
    public int Patch { get; set; } = 16;

    /// <summary>Token width D.</summary>
    public int EmbedDim { get; set; } = 768;

    /// <summary>Number of transformer blocks.</summary>
    public int Depth { get; set; } = 12;

    /// <summary>Attention heads per block; must divide <see cref="EmbedDim"/>.</summary>
    public int Heads { get; set; } = 12;

    /// <summary>MLP hidden width as a multiple of <see cref="EmbedDim"/>.</summary>
    public double MlpRatio { get; set; } = 4.0;

    /// <summary>Whether the qkv projection has a bias.</summary>
    public bool QkvBias { get; set; } = true;

    /// <summary>Stochastic depth rate of the last block; block i uses rate × i / (depth − 1).</summary>
    public double DropPathRate { get; set; } = 0.1;

    /// <summary>Epsilon of every LayerNorm.</summary>
    public double LayerNormEps { get; set; } = 1e-6;

    /// <summary>Size of the global crops the model is compiled for; 0 means <see cref="ImageSize"/>.</summary>
    public int GlobalCrop { get; set; }

    /// <summary>Size of the local crops the model is compiled for.</summary>
    public int LocalCrop { get; set; } = 96;
}
