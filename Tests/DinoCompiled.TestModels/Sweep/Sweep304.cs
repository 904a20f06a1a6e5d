namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 304, 1 block(s) of head dims 152;
/// 401 tokens at the global crop 40 and 50 at the local crop 14 (patch 2, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 40, GlobalCrop = 40, LocalCrop = 14)]
public partial class Sweep304
{
    [PatchEmbedding(Patch = 2, Dim = 304)]
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
