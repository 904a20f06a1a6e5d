namespace DinoCompiled.Models;

/// <summary>ViT-Tiny/16 (D 192, 3 heads) with the reference DINO head.</summary>
[VisionTransformer(Patch = 16, EmbedDim = 192, Depth = 12, Heads = 3, GlobalCrop = 224, LocalCrop = 96)]
[DinoHead(OutDim = 65536, Hidden = 2048, Bottleneck = 256)]
public partial class VitTiny16
{
}
