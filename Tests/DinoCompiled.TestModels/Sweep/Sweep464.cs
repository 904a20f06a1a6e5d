namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 464, 1 block(s) of head dims 232;
/// 82 tokens at the global crop 18 and 5 at the local crop 4 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 18, GlobalCrop = 18, LocalCrop = 4)]
public partial class Sweep464
{
    [PatchEmbedding(Patch = 2, Dim = 464)]
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
