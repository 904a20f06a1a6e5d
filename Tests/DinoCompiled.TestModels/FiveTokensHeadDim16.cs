namespace DinoCompiled.TestModels;

/// <summary>
/// Head dim 16 with few tokens: 5 at the global crop 16 (a 2 x 2 grid and the class token), 2 at the local crop 8, fewer
/// than the CUDA attention's smallest query tile once allowed.
/// </summary>
[VisionTransformer(Channels = 1, ImageSize = 16, Patch = 8, EmbedDim = 64, Depth = 2, Heads = 4, GlobalCrop = 16, LocalCrop = 8)]
[DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 32)]
public partial class FiveTokensHeadDim16
{
}
