namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 400, 1 block(s) of head dims 200;
/// 145 tokens at the global crop 24 and 17 at the local crop 8 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 24, GlobalCrop = 24, LocalCrop = 8)]
public partial class Sweep400
{
    [PatchEmbedding(Patch = 2, Dim = 400)]
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
