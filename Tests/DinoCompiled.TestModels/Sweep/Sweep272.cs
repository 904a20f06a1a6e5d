namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 272, 1 block(s) of head dims 136;
/// 26 tokens at the global crop 20 and 5 at the local crop 8 (patch 4, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 20, GlobalCrop = 20, LocalCrop = 8)]
public partial class Sweep272
{
    [PatchEmbedding(Patch = 4, Dim = 272)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 2, MlpRatio = 4)]
    partial void Block0();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
