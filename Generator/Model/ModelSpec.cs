namespace DinoCompiled.Generator.Model;

/// <summary>
/// A valid model declaration in canonical form: presets and layer-by-layer declarations both lower to this.
/// Plain, value-equal data: no Roslyn type survives discovery.
/// </summary>
/// <param name="Namespace">Namespace of the declaring class, empty for the global namespace.</param>
/// <param name="ClassName">The declaring class.</param>
/// <param name="ModelName">Command-line name (<c>vit-small-16</c>).</param>
/// <param name="DeclaredWith">How the user declared it ("presets" or "layers"), for the generated header.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="ImageSize">Size the position embedding is laid out for.</param>
/// <param name="Patch">Patch side.</param>
/// <param name="EmbedDim">Token width.</param>
/// <param name="Blocks">Every block, expanded (one entry per block), drop-path rates included.</param>
/// <param name="LayerNormEps">Epsilon of every LayerNorm.</param>
/// <param name="GlobalCrop">Global crop size.</param>
/// <param name="LocalCrop">Local crop size.</param>
/// <param name="Head">The DINO head.</param>
/// <param name="Location">Where the model attribute is, for diagnostics found after discovery.</param>
internal sealed record ModelSpec(
    string Namespace,
    string ClassName,
    string ModelName,
    string DeclaredWith,
    int Channels,
    int ImageSize,
    int Patch,
    int EmbedDim,
    EquatableArray<BlockSpec> Blocks,
    double LayerNormEps,
    int GlobalCrop,
    int LocalCrop,
    HeadSpec Head,
    LocationInfo? Location)
{
    public string FullTypeName => Namespace.Length == 0 ? ClassName : Namespace + "." + ClassName;

    /// <summary>The compiled crop sizes, global first; a local crop equal to the global one is compiled once.</summary>
    public EquatableArray<int> CropSizes => (LocalCrop == GlobalCrop ? new[] { GlobalCrop } : new[] { GlobalCrop, LocalCrop }).ToEquatableArray();
}
