namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 336, 3 block(s) of head dims 56, 112, 168;
/// 101 tokens at the global crop 20 and 10 at the local crop 6 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 20, GlobalCrop = 20, LocalCrop = 6)]
public partial class Sweep336
{
    [PatchEmbedding(Patch = 2, Dim = 336)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 6, MlpRatio = 2)]
    partial void Block0();

    [TransformerBlock(Heads = 3, MlpRatio = 2)]
    partial void Block1();

    [TransformerBlock(Heads = 2, MlpRatio = 2)]
    partial void Block2();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
