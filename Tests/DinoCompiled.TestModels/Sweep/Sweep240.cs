namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 240, 8 block(s) of head dims 8, 16, 24, 40, 48, 80, 120, 240;
/// 5 tokens at the global crop 8 and 2 at the local crop 4 (patch 4, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 8, GlobalCrop = 8, LocalCrop = 4)]
public partial class Sweep240
{
    [PatchEmbedding(Patch = 4, Dim = 240)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 30, MlpRatio = 2)]
    partial void Block0();

    [TransformerBlock(Heads = 15, MlpRatio = 2)]
    partial void Block1();

    [TransformerBlock(Heads = 10, MlpRatio = 2)]
    partial void Block2();

    [TransformerBlock(Heads = 6, MlpRatio = 2)]
    partial void Block3();

    [TransformerBlock(Heads = 5, MlpRatio = 2)]
    partial void Block4();

    [TransformerBlock(Heads = 3, MlpRatio = 2)]
    partial void Block5();

    [TransformerBlock(Heads = 2, MlpRatio = 2)]
    partial void Block6();

    [TransformerBlock(Heads = 1, MlpRatio = 2)]
    partial void Block7();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
