namespace DinoCompiled.Evaluation;

/// <summary>The two ways a DINO run collapses (Caron et al., section 5.3).</summary>
public enum CollapseKind
{
    /// <summary>No sign of collapse.</summary>
    None,

    /// <summary>
    /// The teacher gives every image the same flat distribution (centering without enough sharpening): its entropy
    /// and the loss sit at ln K and the student learns nothing.
    /// </summary>
    Uniform,

    /// <summary>
    /// The teacher puts every image on the same one output (sharpening without enough centering): its entropy and the
    /// entropy of its mean output both go to 0.
    /// </summary>
    OneHot,
}
