namespace DinoCompiled.TestModels;

/// <summary>
/// A DINOv2-style width with 8 heads: head dim 48, which does not divide 256 (the CUDA attention once needed it to).
/// 17 tokens at the global crop 16, 5 at the local crop 8.
/// </summary>
[VisionTransformer(Channels = 1, ImageSize = 16, Patch = 4, EmbedDim = 384, Depth = 2, Heads = 8, GlobalCrop = 16, LocalCrop = 8)]
[DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 32)]
public partial class Width384Heads8
{
}
