namespace DinoCompiled.Models;

/// <summary>ViT-Small/8 (D 384, 6 heads, 8-pixel patches) with the reference DINO head.</summary>
[VisionTransformer(Patch = 8, EmbedDim = 384, Depth = 12, Heads = 6, GlobalCrop = 224, LocalCrop = 96)]
[DinoHead(OutDim = 65536, Hidden = 2048, Bottleneck = 256)]
public partial class VitSmall8
{
}
