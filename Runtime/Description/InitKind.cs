namespace DinoCompiled;

/// <summary>How a parameter is initialised; the scale of each kind is in <see cref="ParameterInit.Scale"/>.</summary>
public enum InitKind
{
    /// <summary>Every element equals <see cref="ParameterInit.Scale"/> (0 for biases, 1 for LayerNorm weights and <c>weight_g</c>).</summary>
    Constant,

    /// <summary>Normal with std <see cref="ParameterInit.Scale"/>, truncated to [−2, 2] (absolute, as timm's <c>trunc_normal_</c>).</summary>
    TruncatedNormal,

    /// <summary>Uniform in [−Scale, Scale]: PyTorch's default for layers DINO does not re-initialise (1/√fan_in).</summary>
    Uniform,
}
