namespace DinoCompiled.TestModels;

/// <summary>
/// ViT-B's width with 8 heads: head dim 96, which does not divide 256. 5 tokens at the global crop 16, 2 at the local
/// crop 8 (patch 8).
/// </summary>
[VisionTransformer(Channels = 1, ImageSize = 16, Patch = 8, EmbedDim = 768, Depth = 1, Heads = 8, GlobalCrop = 16, LocalCrop = 8)]
[DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 32)]
public partial class Width768Heads8
{
}
