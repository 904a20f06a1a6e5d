namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// The operations of the graph IR. Forward ops are layer-sized (a Linear, a LayerNorm, the attention core); the
/// backward ops are what <see cref="Autodiff"/> emits for them; the fused kinds are what <see cref="Fusion"/> forms.
/// Each maps to one call into the Runtime's CPU kernel library (DinoCompiled.Cpu).
/// </summary>
internal enum OpKind
{
    // Forward
    Im2Col,
    Linear,
    Gelu,
    ResidualAdd,
    LayerNorm,
    Attention,
    ResizePositions,
    AssembleTokens,
    GatherClass,
    L2Normalize,
    WeightNorm,
    MatMul,

    // Backward
    LinearInputGrad,
    LinearWeightGrad,
    BiasGrad,
    GeluGrad,
    ScaleRows,
    Accumulate,
    LayerNormGrad,
    AttentionGrad,
    ResizePositionsGrad,
    AssembleTokensGrad,
    ScatterClass,
    L2NormalizeGrad,
    WeightNormGrad,
    MatMulInputGrad,
    MatMulWeightGrad,
    Clear,

    // Fused
    LinearGelu,
    LinearResidual,
    LinearInputGradGelu,
}
