using System.Collections.Immutable;

namespace DinoCompiled;

/// <summary>The hyperparameters a model was compiled from.</summary>
/// <param name="Channels">Input channels.</param>
/// <param name="ImageSize">The size the position embedding is laid out for.</param>
/// <param name="Patch">Patch side.</param>
/// <param name="EmbedDim">Token width D.</param>
/// <param name="Blocks">Every transformer block, in order.</param>
/// <param name="LayerNormEps">Epsilon of every LayerNorm.</param>
/// <param name="GlobalCrop">Global crop size.</param>
/// <param name="LocalCrop">Local crop size.</param>
/// <param name="Head">The DINO head.</param>
public sealed record ArchitectureInfo(
    int Channels,
    int ImageSize,
    int Patch,
    int EmbedDim,
    ImmutableArray<BlockInfo> Blocks,
    double LayerNormEps,
    int GlobalCrop,
    int LocalCrop,
    HeadInfo Head)
{
    /// <summary>Number of transformer blocks.</summary>
    public int Depth => Blocks.Length;
}
