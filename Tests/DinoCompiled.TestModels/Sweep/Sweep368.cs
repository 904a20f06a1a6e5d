namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 368, 1 block(s) of head dims 184;
/// 170 tokens at the global crop 26 and 37 at the local crop 12 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 26, GlobalCrop = 26, LocalCrop = 12)]
public partial class Sweep368
{
    [PatchEmbedding(Patch = 2, Dim = 368)]
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
