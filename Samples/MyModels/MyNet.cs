using DinoCompiled;

namespace MyModels;

/// <summary>
/// A small ViT for 32-pixel RGB images (4-pixel patches: 8×8 tokens), with global crops of 32 and local crops of 16
/// pixels; the generator compiles it when this project builds.
/// </summary>
[DinoModel(Name = "my-net", Channels = 3, ImageSize = 32, GlobalCrop = 32, LocalCrop = 16)]
public partial class MyNet
{
    [PatchEmbedding(Patch = 4, Dim = 96)]
    partial void Embed();

    [ClassToken, PositionEmbedding]
    partial void Tokens();

    [TransformerBlock(Heads = 3, MlpRatio = 4, Repeat = 4)]
    partial void Blocks();

    [LayerNorm]
    partial void Norm();

    [DinoHead(OutDim = 4096, Hidden = 512, Bottleneck = 128)]
    partial void Head();
}
