namespace DinoCompiled.TestModels;

/// <summary>
/// A reduced ViT for the whole-model fixtures: 3 channels, 32x32 images, 8-pixel patches (4x4 grid), width 64,
/// 2 blocks of 2 heads, local crops of 16 (2x2 grid, so the position embedding is resized), and a small head
/// whose weight_g is trained (NormLastLayer = false), so its gradient is checked too.
/// </summary>
[VisionTransformer(Channels = 3, ImageSize = 32, Patch = 8, EmbedDim = 64, Depth = 2, Heads = 2, GlobalCrop = 32, LocalCrop = 16)]
[DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 32, NormLastLayer = false)]
public partial class ReducedVit
{
}
