namespace DinoCompiled.Models;

/// <summary>ViT-Small/16 (D 384, 6 heads) with the reference DINO head: the reference DINO's default model.</summary>
[VisionTransformer(Patch = 16, EmbedDim = 384, Depth = 12, Heads = 6, GlobalCrop = 224, LocalCrop = 96)]
[DinoHead(OutDim = 65536, Hidden = 2048, Bottleneck = 256)]
public partial class VitSmall16
{
}
