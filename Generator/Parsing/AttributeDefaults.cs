namespace DinoCompiled.Generator.Parsing;

/// <summary>
/// The defaults of the Runtime's attribute properties. Roslyn shows a generator only the arguments a user wrote,
/// so the generator must know the defaults; a test checks these against the Runtime's attribute classes.
/// </summary>
internal static class AttributeDefaults
{
    public const int Channels = 3;
    public const int ImageSize = 224;
    public const int Patch = 16;
    public const int EmbedDim = 768;
    public const int Depth = 12;
    public const int Heads = 12;
    public const double MlpRatio = 4.0;
    public const bool QkvBias = true;
    public const double DropPathRate = 0.1;
    public const double LayerNormEps = 1e-6;
    public const int GlobalCrop = 0;
    public const int LocalCrop = 96;

    public const int OutDim = 65536;
    public const int Hidden = 2048;
    public const int Bottleneck = 256;
    public const int HeadLayers = 3;
    public const bool NormLastLayer = true;

    public const int Repeat = 1;
    public const bool LinearBias = true;
}
