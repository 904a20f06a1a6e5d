namespace DinoCompiled.TestModels.Sweep;

/// <summary>
/// Sweep of the architectures the shape rules accept: width 448, 1 block(s) of head dims 224;
/// 257 tokens at the global crop 16 and 26 at the local crop 5 (patch 1, 1 channel(s)).
/// </summary>
[DinoModel(Channels = 1, ImageSize = 16, GlobalCrop = 16, LocalCrop = 5)]
public partial class Sweep448
{
    [PatchEmbedding(Patch = 1, Dim = 448)]
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
