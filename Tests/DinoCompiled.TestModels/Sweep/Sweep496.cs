namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 496, 1 block(s) of head dims 248;
/// 122 tokens at the global crop 22 and 10 at the local crop 6 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 22, GlobalCrop = 22, LocalCrop = 6)]
public partial class Sweep496
{
    [PatchEmbedding(Patch = 2, Dim = 496)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 2, MlpRatio = 2)]
    partial void Block0();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
