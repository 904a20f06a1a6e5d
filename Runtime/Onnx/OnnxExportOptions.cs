namespace DinoCompiled.Onnx;

/// <summary>How <see cref="BackboneOnnxExporter"/> shapes the exported model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The lowest opset the graph is written for: the first with <c>LayerNormalization</c>.</summary>
    public const int MinimumOpset = 17;

    /// <summary>
    /// The square input side in pixels, a multiple of the patch size; null for the model's global crop. Where it differs
    /// from the model's image size the position grid is resized bicubically at export time, as the compiled forward does.
    /// </summary>
    public int? Crop { get; init; }

    /// <summary>The CLS token only (default) or every token.</summary>
    public OnnxTokenOutput Tokens { get; init; } = OnnxTokenOutput.Cls;

    /// <summary>The default-domain opset the file declares, at least <see cref="MinimumOpset"/>.</summary>
    public int Opset { get; init; } = MinimumOpset;
}
