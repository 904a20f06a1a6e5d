namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 176, 2 block(s) of head dims 88, 176;
/// 1025 tokens at the global crop 32 and 65 at the local crop 8 (patch 1, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 32, GlobalCrop = 32, LocalCrop = 8)]
public partial class Sweep176
{
    [PatchEmbedding(Patch = 1, Dim = 176)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 2, MlpRatio = 2)]
    partial void Block0();

    [TransformerBlock(Heads = 1, MlpRatio = 2)]
    partial void Block1();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 64, Hidden = 32, Bottleneck = 16)]
    partial void Head();
}
