namespace DinoCompiled;

/// <summary>
/// Forward FLOPs of one image at one compiled crop size: 2 × the multiply-adds of every matrix product
/// (patch embedding, qkv, QKᵀ, AV, proj, MLP, head); normalization, softmax and GELU are not counted.
/// A training step costs about three times the forward.
/// </summary>
/// <param name="Crop">Crop side in pixels.</param>
/// <param name="Tokens">Tokens per image (patches + CLS).</param>
/// <param name="BackboneFlops">FLOPs of the backbone.</param>
/// <param name="HeadFlops">FLOPs of the head (on the CLS feature).</param>
public sealed record CropFlops(int Crop, int Tokens, long BackboneFlops, long HeadFlops)
{
    /// <summary>Backbone and head together.</summary>
    public long TotalFlops => BackboneFlops + HeadFlops;
}
