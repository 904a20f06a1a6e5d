namespace DinoCompiled.Data;

/// <summary>Which of DINO's crop recipes a crop follows; they differ in size, scale range, blur probability and solarize.</summary>
public enum CropKind
{
    /// <summary>The first global crop (crop 0): always blurred by default.</summary>
    Global1,

    /// <summary>The second global crop (crop 1): rarely blurred, sometimes solarized.</summary>
    Global2,

    /// <summary>A local crop (crops 2 and up): small, from a small part of the image.</summary>
    Local,
}
