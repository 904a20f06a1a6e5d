namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 320, 1 block(s) of head dims 160;
/// 50 tokens at the global crop 21 and 10 at the local crop 9 (patch 3, 3 channel(s)).
/// </summary>
[DinoModel(Channels = 3, ImageSize = 21, GlobalCrop = 21, LocalCrop = 9)]
public partial class Sweep320
{
    [PatchEmbedding(Patch = 3, Dim = 320)]
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
