namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 288, 4 block(s) of head dims 32, 72, 96, 144;
/// 37 tokens at the global crop 24 and 10 at the local crop 12 (patch 4, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 24, GlobalCrop = 24, LocalCrop = 12)]
public partial class Sweep288
{
    [PatchEmbedding(Patch = 4, Dim = 288)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 9, MlpRatio = 3)]
    partial void Block0();

    [TransformerBlock(Heads = 4, MlpRatio = 3)]
    partial void Block1();

    [TransformerBlock(Heads = 3, MlpRatio = 3)]
    partial void Block2();

    [TransformerBlock(Heads = 2, MlpRatio = 3)]
    partial void Block3();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
