using System;

namespace DinoCompiled;

/// <summary>
/// <see cref="Repeat"/> pre-norm transformer blocks: x += DropPath(Attn(LN1(x))); x += DropPath(MLP(LN2(x))).
/// Several members may follow each other; their blocks are numbered consecutively.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TransformerBlockAttribute : Attribute
{
    /// <summary>Attention heads (required); must divide the embedding width.</summary>
    public int Heads { get; set; }

    /// <summary>MLP hidden width as a multiple of the embedding width.</summary>
    public double MlpRatio { get; set; } = 4.0;

    /// <summary>Whether the qkv projection has a bias.</summary>
    public bool QkvBias { get; set; } = true;

    /// <summary>How many identical blocks this member stands for.</summary>
    public int Repeat { get; set; } = 1;
}
