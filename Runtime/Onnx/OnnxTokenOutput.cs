namespace DinoCompiled.Onnx;

/// <summary>Which tokens the exported backbone returns, all after the final LayerNorm.</summary>
public enum OnnxTokenOutput
{
    /// <summary>The CLS token: <c>features</c> [N, D], what the compiled forward and k-NN use.</summary>
    Cls,

    /// <summary>Every token, CLS first: <c>features</c> [N, 1 + (crop / patch)², D], for dense or patch-level uses.</summary>
    All,
}
