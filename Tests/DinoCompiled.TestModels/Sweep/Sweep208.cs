namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 208, 2 block(s) of head dims 104, 208;
/// 197 tokens at the global crop 28 and 26 at the local crop 10 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 10)]
public partial class Sweep208
{
    [PatchEmbedding(Patch = 2, Dim = 208)]
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
