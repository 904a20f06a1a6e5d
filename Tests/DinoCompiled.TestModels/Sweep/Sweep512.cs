namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 512, 3 block(s) of head dims 64, 128, 256;
/// 17 tokens at the global crop 32 and 5 at the local crop 16 (patch 8, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 32, GlobalCrop = 32, LocalCrop = 16)]
public partial class Sweep512
{
    [PatchEmbedding(Patch = 8, Dim = 512)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 8, MlpRatio = 1)]
    partial void Block0();

    [TransformerBlock(Heads = 4, MlpRatio = 1)]
    partial void Block1();

    [TransformerBlock(Heads = 2, MlpRatio = 1)]
    partial void Block2();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
