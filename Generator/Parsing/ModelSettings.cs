using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Parsing;

/// <summary>The model-wide arguments [VisionTransformer] and [DinoModel] share: name, channels, sizes, drop path, eps.</summary>
internal sealed class ModelSettings
{
    private ModelSettings(AttributeReader attribute) => Attribute = attribute;

    public AttributeReader Attribute { get; }
    public string Name { get; private set; } = "";
    public int Channels { get; private set; }
    public int ImageSize { get; private set; }
    public int GlobalCrop { get; private set; }
    public int LocalCrop { get; private set; }
    public double DropPathRate { get; private set; }
    public double LayerNormEps { get; private set; }

    public static ModelSettings Read(AttributeReader attribute, string className, DiagnosticBag diagnostics)
    {
        var settings = new ModelSettings(attribute)
        {
            Name = attribute.String("Name") ?? ModelNaming.KebabCase(className),
            Channels = attribute.Int("Channels", AttributeDefaults.Channels),
            ImageSize = attribute.Int("ImageSize", AttributeDefaults.ImageSize),
            LocalCrop = attribute.Int("LocalCrop", AttributeDefaults.LocalCrop),
            DropPathRate = attribute.Double("DropPathRate", AttributeDefaults.DropPathRate),
            LayerNormEps = attribute.Double("LayerNormEps", AttributeDefaults.LayerNormEps),
        };
        int global = attribute.Int("GlobalCrop", AttributeDefaults.GlobalCrop);
        settings.GlobalCrop = global == 0 ? settings.ImageSize : global;

        if (!ModelNaming.IsValid(settings.Name))
            diagnostics.Add(DiagnosticDescriptors.InvalidModelName, attribute.LocationOf("Name"), settings.Name);
        ShapeRules.Positive(attribute, "Channels", settings.Channels, diagnostics);
        ShapeRules.Positive(attribute, "ImageSize", settings.ImageSize, diagnostics);
        if (global != 0) ShapeRules.Positive(attribute, "GlobalCrop", global, diagnostics);
        ShapeRules.Positive(attribute, "LocalCrop", settings.LocalCrop, diagnostics);
        ShapeRules.Positive(attribute, "LayerNormEps", settings.LayerNormEps, diagnostics);
        if (!(settings.DropPathRate >= 0 && settings.DropPathRate < 1))
            diagnostics.Add(DiagnosticDescriptors.OutOfRange, attribute.LocationOf("DropPathRate"), attribute.ShortName + ".DropPathRate", "[0, 1)", settings.DropPathRate);
        if (settings.LocalCrop > settings.GlobalCrop && settings.GlobalCrop > 0)
            diagnostics.Add(DiagnosticDescriptors.LocalCropLargerThanGlobal, attribute.LocationOf("LocalCrop"), settings.LocalCrop, settings.GlobalCrop);
        return settings;
    }

    /// <summary>Checks that the image and both crops cut into whole patches.</summary>
    public void CheckPatch(int patch, DiagnosticBag diagnostics)
    {
        ShapeRules.MultipleOfPatch(Attribute, "ImageSize", ImageSize, patch, diagnostics);
        if (GlobalCrop != ImageSize) ShapeRules.MultipleOfPatch(Attribute, "GlobalCrop", GlobalCrop, patch, diagnostics);
        ShapeRules.MultipleOfPatch(Attribute, "LocalCrop", LocalCrop, patch, diagnostics);
    }

    public EquatableArray<BlockSpec> Blocks(System.Collections.Generic.IReadOnlyList<(int Heads, int MlpHidden, bool QkvBias)> blocks)
    {
        var rates = ShapeRules.DropPathSchedule(blocks.Count, DropPathRate);
        var result = new BlockSpec[blocks.Count];
        for (int i = 0; i < blocks.Count; i++)
            result[i] = new BlockSpec(blocks[i].Heads, blocks[i].MlpHidden, blocks[i].QkvBias, rates[i]);
        return result.ToEquatableArray();
    }
}
