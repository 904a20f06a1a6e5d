namespace DinoCompiled.Data;

/// <summary>One of the four colour-jitter adjustments; a crop applies them in a random order.</summary>
public enum ColorJitterStep
{
    /// <summary><see cref="ColorJitterOperations.AdjustBrightness"/>.</summary>
    Brightness,

    /// <summary><see cref="ColorJitterOperations.AdjustContrast"/>.</summary>
    Contrast,

    /// <summary><see cref="ColorJitterOperations.AdjustSaturation"/>.</summary>
    Saturation,

    /// <summary><see cref="ColorJitterOperations.AdjustHue"/>.</summary>
    Hue,
}
