namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 432, 1 block(s) of head dims 216;
/// 785 tokens at the global crop 28 and 65 at the local crop 8 (patch 1, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 8)]
public partial class Sweep432
{
    [PatchEmbedding(Patch = 1, Dim = 432)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 2, MlpRatio = 1)]
    partial void Block0();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
