namespace DinoCompiled.Generator.Lowering;

/// <summary>Forward FLOPs per image at one compiled crop size (2 × multiply-adds of the matrix products).</summary>
internal sealed record CropCost(int Crop, int Tokens, long BackboneFlops, long HeadFlops);
