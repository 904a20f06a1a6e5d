namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>
/// Small valid declarations in both styles, shaped like the zoo's VitSmall16 (presets) and FmnistTiny (layer by layer,
/// here with the head spelled out). A test replaces one attribute's arguments, with its marks, to make it invalid.
/// </summary>
internal static class DeclarationTemplates
{
    public const string PresetClass = "SmallVit";
    public const string LayeredClass = "TinyFmnist";

    public const string PresetBackbone = "Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, GlobalCrop = 224, LocalCrop = 96";
    public const string PresetHead = "OutDim = 256, Hidden = 128, Bottleneck = 64";

    public static string Preset(string backbone = PresetBackbone, string head = PresetHead) => $$"""
        [VisionTransformer({{backbone}})]
        [DinoHead({{head}})]
        public partial class {{PresetClass}}
        {
        }
        """;

    public static string Layered(
        string model = "Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12",
        string embedding = "Patch = 4, Dim = 32",
        string blocks = "Heads = 2, MlpRatio = 4, Repeat = 2",
        string hidden = "Out = 64",
        string bottleneck = "Out = 32",
        string prototypes = "Out = 256") => $$"""
        [DinoModel({{model}})]
        public partial class {{LayeredClass}}
        {
            [PatchEmbedding({{embedding}})]
            partial void Embed();

            [ClassToken, PositionEmbedding]
            partial void Tokens();

            [TransformerBlock({{blocks}})]
            partial void Blocks();

            [LayerNorm]
            partial void Norm();

            [Linear({{hidden}})]
            partial void HiddenLayer();

            [Gelu]
            partial void Activation();

            [Linear({{bottleneck}})]
            partial void BottleneckLayer();

            [L2Normalize]
            partial void Normalize();

            [WeightNormalizedLinear({{prototypes}})]
            partial void Prototypes();
        }
        """;
}
