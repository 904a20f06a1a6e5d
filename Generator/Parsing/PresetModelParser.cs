using System.Collections.Generic;
using System.Threading;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Generator.Parsing;

/// <summary>Turns a class with <c>[VisionTransformer]</c> and <c>[DinoHead]</c> into the canonical <see cref="ModelSpec"/>.</summary>
internal static class PresetModelParser
{
    public static Result<ModelSpec> Parse(INamedTypeSymbol type, AttributeData backboneData, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var backbone = new AttributeReader(backboneData, cancellationToken);
        ClassRules.Check(type, backbone.Location, diagnostics);

        if (ClassRules.Find(type, AttributeNames.DinoModel) is { } layered)
        {
            diagnostics.Add(DiagnosticDescriptors.ConflictingDeclarations, new AttributeReader(layered, cancellationToken).Location,
                "DinoModel", "VisionTransformer", type.Name, "declare a model either with presets ([VisionTransformer] + [DinoHead]) or layer by layer ([DinoModel])");
            return diagnostics.ToResult<ModelSpec>(null);
        }

        var settings = ModelSettings.Read(backbone, type.Name, diagnostics);
        int patch = backbone.Int("Patch", AttributeDefaults.Patch);
        int embedDim = backbone.Int("EmbedDim", AttributeDefaults.EmbedDim);
        int depth = backbone.Int("Depth", AttributeDefaults.Depth);
        int heads = backbone.Int("Heads", AttributeDefaults.Heads);
        double mlpRatio = backbone.Double("MlpRatio", AttributeDefaults.MlpRatio);
        bool qkvBias = backbone.Bool("QkvBias", AttributeDefaults.QkvBias);

        if (ShapeRules.Positive(backbone, "Patch", patch, diagnostics)) settings.CheckPatch(patch, diagnostics);
        ShapeRules.Positive(backbone, "EmbedDim", embedDim, diagnostics);
        ShapeRules.Positive(backbone, "Depth", depth, diagnostics);
        ShapeRules.Positive(backbone, "Heads", heads, diagnostics);
        ShapeRules.HeadsDivide(backbone, embedDim, heads, diagnostics);
        int mlpHidden = ShapeRules.MlpHidden(backbone, mlpRatio, embedDim, diagnostics);

        HeadSpec? head = null;
        if (ClassRules.Find(type, AttributeNames.DinoHead) is { } headData)
            head = ShapeRules.HeadPreset(new AttributeReader(headData, cancellationToken), diagnostics);
        else
            diagnostics.Add(DiagnosticDescriptors.MissingHead, backbone.Location, type.Name);

        if (diagnostics.HasErrors || head is null) return diagnostics.ToResult<ModelSpec>(null);

        var blocks = new List<(int, int, bool)>();
        for (int i = 0; i < depth; i++) blocks.Add((heads, mlpHidden, qkvBias));
        var spec = new ModelSpec(ClassRules.NamespaceOf(type), type.Name, settings.Name, "presets",
            settings.Channels, settings.ImageSize, patch, embedDim, settings.Blocks(blocks), settings.LayerNormEps,
            settings.GlobalCrop, settings.LocalCrop, head, backbone.Location);
        return diagnostics.ToResult(spec);
    }
}
