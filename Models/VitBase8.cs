namespace DinoCompiled.Models;

/// <summary>ViT-Base/8 (D 768, 12 heads, 8-pixel patches) with the reference DINO head.</summary>
[VisionTransformer(Patch = 8, EmbedDim = 768, Depth = 12, Heads = 12, GlobalCrop = 224, LocalCrop = 96)]
[DinoHead(OutDim = 65536, Hidden = 2048, Bottleneck = 256)]
public partial class VitBase8
{
}
