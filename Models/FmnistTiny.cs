namespace DinoCompiled.Models;

/// <summary>
/// A small ViT for Fashion-MNIST (1 channel, 28×28, 4-pixel patches: 7×7 tokens), declared layer by layer,
/// with global crops of 28 and local crops of 12 pixels.
/// </summary>
[DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
public partial class FmnistTiny
{
    [PatchEmbedding(Patch = 4, Dim = 128)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 4, MlpRatio = 4, Repeat = 4)]
    partial void Blocks();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 4096, Hidden = 512, Bottleneck = 128)]
    partial void Head();
}
