using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Generator.Parsing;

/// <summary>
/// Turns a <c>[DinoModel]</c> class, whose annotated members spell the network in forward order, into the canonical
/// <see cref="ModelSpec"/>. The grammar: PatchEmbedding, ClassToken, PositionEmbedding, TransformerBlock+, LayerNorm,
/// then the head: DinoHead, or Linear (Gelu Linear)*, L2Normalize, WeightNormalizedLinear.
/// </summary>
internal static class LayeredModelParser
{
    /// <summary>Layers a model holds exactly once, with what a user calls them.</summary>
    private static readonly Dictionary<string, string> s_singletons = new()
    {
        [AttributeNames.PatchEmbedding] = "patch embedding",
        [AttributeNames.ClassToken] = "class token",
        [AttributeNames.PositionEmbedding] = "position embedding",
        [AttributeNames.LayerNorm] = "final LayerNorm",
        [AttributeNames.DinoHead] = "head",
        [AttributeNames.L2Normalize] = "L2-normalization",
        [AttributeNames.WeightNormalizedLinear] = "weight-normalized last layer",
    };

    public static Result<ModelSpec> Parse(INamedTypeSymbol type, AttributeData modelData, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        // [VisionTransformer] with [DinoModel] is the preset parser's to report (DINO0003), once.
        if (ClassRules.Find(type, AttributeNames.VisionTransformer) is not null)
            return diagnostics.ToResult<ModelSpec>(null);
        var model = new AttributeReader(modelData, cancellationToken);
        ClassRules.Check(type, model.Location, diagnostics);
        if (ClassRules.Find(type, AttributeNames.DinoHead) is { } classHead)
            diagnostics.Add(DiagnosticDescriptors.ConflictingDeclarations, new AttributeReader(classHead, cancellationToken).Location,
                "DinoHead", "DinoModel", type.Name, "in a layer-by-layer model the head is a member after the final [LayerNorm]");
        var settings = ModelSettings.Read(model, type.Name, diagnostics);

        var layers = CollectLayers(type, cancellationToken);
        if (!CheckStructure(type, model, layers, diagnostics))
            return diagnostics.ToResult<ModelSpec>(null);

        // The grammar holds; now the arguments of each layer.
        var patchEmbedding = layers.First(l => l.Kind == AttributeNames.PatchEmbedding).Attribute;
        int patch = patchEmbedding.Int("Patch", 0);
        int dim = patchEmbedding.Int("Dim", 0);
        if (ShapeRules.Required(patchEmbedding, "Patch", diagnostics) && ShapeRules.Positive(patchEmbedding, "Patch", patch, diagnostics))
            settings.CheckPatch(patch, diagnostics);
        if (ShapeRules.Required(patchEmbedding, "Dim", diagnostics))
            ShapeRules.Positive(patchEmbedding, "Dim", dim, diagnostics);

        var blocks = new List<(int Heads, int MlpHidden, bool QkvBias)>();
        foreach (var use in layers.Where(l => l.Kind == AttributeNames.TransformerBlock))
            ReadBlocks(use.Attribute, dim, blocks, diagnostics);

        var head = ReadHead(type, layers, diagnostics);
        if (diagnostics.HasErrors || head is null) return diagnostics.ToResult<ModelSpec>(null);

        var spec = new ModelSpec(ClassRules.NamespaceOf(type), type.Name, settings.Name, "layers",
            settings.Channels, settings.ImageSize, patch, dim, settings.Blocks(blocks), settings.LayerNormEps,
            settings.GlobalCrop, settings.LocalCrop, head, model.Location);
        return diagnostics.ToResult(spec);
    }

    /// <summary>Every DinoCompiled attribute on a member, in the order written.</summary>
    private static List<LayerUse> CollectLayers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var layers = new List<LayerUse>();
        foreach (var member in type.GetMembers())
        {
            var declaration = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).Parent;
            string key = declaration is null ? "" : declaration.SyntaxTree.FilePath + "@" + declaration.SpanStart;
            foreach (var attribute in member.GetAttributes())
            {
                if (attribute.AttributeClass?.ContainingNamespace?.ToDisplayString() != AttributeNames.Namespace) continue;
                layers.Add(new LayerUse(new AttributeReader(attribute, cancellationToken), member.Name, key));
            }
        }
        return layers.OrderBy(l => l.Attribute.SourcePosition.File, System.StringComparer.Ordinal)
            .ThenBy(l => l.Attribute.SourcePosition.Start).ToList();
    }

    /// <summary>Checks the layer grammar; reports and returns false at the first structural mistake.</summary>
    private static bool CheckStructure(INamedTypeSymbol type, AttributeReader model, List<LayerUse> layers, DiagnosticBag diagnostics)
    {
        foreach (var unknown in layers.Where(l => l.Stage < 0))
            diagnostics.Add(DiagnosticDescriptors.UnknownLayer, unknown.Attribute.Location, unknown.Name);
        layers.RemoveAll(l => l.Stage < 0);

        var secondDeclaration = layers.FirstOrDefault(l => l.DeclarationKey != layers[0].DeclarationKey);
        if (secondDeclaration is not null)
        {
            diagnostics.Add(DiagnosticDescriptors.LayersInSeveralDeclarations, secondDeclaration.Attribute.Location, type.Name);
            return false;
        }

        for (int i = 0; i < layers.Count; i++)
        {
            var earlier = layers.Skip(i + 1).FirstOrDefault(later => later.Stage < layers[i].Stage);
            if (earlier is null) continue;
            diagnostics.Add(DiagnosticDescriptors.LayerOutOfOrder, layers[i].Attribute.Location, layers[i].Name, earlier.Name);
            return false;
        }

        bool valid = !diagnostics.HasErrors;
        var seen = new HashSet<string>();
        foreach (var use in layers)
        {
            if (s_singletons.TryGetValue(use.Kind, out var description) && !seen.Add(use.Kind))
            {
                diagnostics.Add(DiagnosticDescriptors.DuplicateLayer, use.Attribute.Location, use.Name, type.Name, description);
                valid = false;
            }
        }

        var headPreset = layers.FirstOrDefault(l => l.Kind == AttributeNames.DinoHead);
        if (headPreset is not null)
        {
            foreach (var use in layers.Where(l => l.Stage >= 5 && l.Kind != AttributeNames.DinoHead))
            {
                diagnostics.Add(DiagnosticDescriptors.ConflictingDeclarations, use.Attribute.Location, use.Name, "DinoHead", type.Name,
                    "[DinoHead] already declares the whole head; spell the head out with Linear, Gelu, L2Normalize and WeightNormalizedLinear instead");
                valid = false;
            }
        }

        valid &= Require(type, model, layers, AttributeNames.PatchEmbedding, "a model starts with [PatchEmbedding(Patch = ..., Dim = ...)]", diagnostics);
        valid &= Require(type, model, layers, AttributeNames.ClassToken, "add [ClassToken] after the patch embedding", diagnostics);
        valid &= Require(type, model, layers, AttributeNames.PositionEmbedding, "add [PositionEmbedding] after the class token", diagnostics);
        valid &= Require(type, model, layers, AttributeNames.TransformerBlock, "add [TransformerBlock(Heads = ..., Repeat = ...)] after the position embedding", diagnostics);
        valid &= Require(type, model, layers, AttributeNames.LayerNorm, "add the final [LayerNorm] after the blocks", diagnostics);
        if (headPreset is null)
        {
            bool anyHeadLayer = layers.Any(l => l.Stage >= 5);
            if (!anyHeadLayer)
                valid &= Require(type, model, layers, AttributeNames.DinoHead, "add [DinoHead] after the final LayerNorm, or spell the head out with Linear, Gelu, L2Normalize and WeightNormalizedLinear", diagnostics);
            else
            {
                valid &= Require(type, model, layers, AttributeNames.Linear, "the head's MLP needs at least one [Linear(Out = ...)] before [L2Normalize]", diagnostics);
                valid &= Require(type, model, layers, AttributeNames.L2Normalize, "the head L2-normalizes its bottleneck features before the last layer", diagnostics);
                valid &= Require(type, model, layers, AttributeNames.WeightNormalizedLinear, "the head ends with [WeightNormalizedLinear(Out = ...)]", diagnostics);
            }
        }
        return valid && CheckGelus(layers, diagnostics);
    }

    private static bool Require(INamedTypeSymbol type, AttributeReader model, List<LayerUse> layers, string kind, string hint, DiagnosticBag diagnostics)
    {
        if (layers.Any(l => l.Kind == kind)) return true;
        diagnostics.Add(DiagnosticDescriptors.MissingLayer, model.Location, type.Name, AttributeNames.ShortName(kind), hint);
        return false;
    }

    /// <summary>A GELU must have a Linear on both sides within the head's MLP.</summary>
    private static bool CheckGelus(List<LayerUse> layers, DiagnosticBag diagnostics)
    {
        var mlp = layers.Where(l => l.Kind is AttributeNames.Linear or AttributeNames.Gelu).ToList();
        bool valid = true;
        for (int i = 0; i < mlp.Count; i++)
        {
            if (mlp[i].Kind != AttributeNames.Gelu) continue;
            bool between = i > 0 && i < mlp.Count - 1 && mlp[i - 1].Kind == AttributeNames.Linear && mlp[i + 1].Kind == AttributeNames.Linear;
            if (between) continue;
            diagnostics.Add(DiagnosticDescriptors.MisplacedGelu, mlp[i].Attribute.Location, mlp[i].MemberName);
            valid = false;
        }
        return valid;
    }

    private static void ReadBlocks(AttributeReader block, int dim, List<(int, int, bool)> blocks, DiagnosticBag diagnostics)
    {
        int heads = block.Int("Heads", 0);
        int repeat = block.Int("Repeat", AttributeDefaults.Repeat);
        bool qkvBias = block.Bool("QkvBias", AttributeDefaults.QkvBias);
        bool valid = ShapeRules.Required(block, "Heads", diagnostics) && ShapeRules.Positive(block, "Heads", heads, diagnostics);
        valid &= ShapeRules.Positive(block, "Repeat", repeat, diagnostics);
        if (valid) ShapeRules.HeadsDivide(block, dim, heads, diagnostics);
        int hidden = ShapeRules.MlpHidden(block, block.Double("MlpRatio", AttributeDefaults.MlpRatio), dim, diagnostics);
        if (!valid || hidden == 0) return;
        for (int i = 0; i < repeat; i++) blocks.Add((heads, hidden, qkvBias));
    }

    private static HeadSpec? ReadHead(INamedTypeSymbol type, List<LayerUse> layers, DiagnosticBag diagnostics)
    {
        if (layers.FirstOrDefault(l => l.Kind == AttributeNames.DinoHead) is { } preset)
            return ShapeRules.HeadPreset(preset.Attribute, diagnostics);

        var mlp = new List<HeadLayerSpec>();
        int bottleneck = 0;
        bool valid = true;
        foreach (var use in layers.Where(l => l.Kind is AttributeNames.Linear or AttributeNames.Gelu))
        {
            if (use.Kind == AttributeNames.Gelu) { mlp.Add(HeadLayerSpec.Gelu); continue; }
            int output = use.Attribute.Int("Out", 0);
            if (!(ShapeRules.Required(use.Attribute, "Out", diagnostics) && ShapeRules.Positive(use.Attribute, "Out", output, diagnostics)))
            {
                valid = false;
                continue;
            }
            bottleneck = output;
            mlp.Add(HeadLayerSpec.Linear(output, use.Attribute.Bool("Bias", AttributeDefaults.LinearBias)));
        }

        var last = layers.First(l => l.Kind == AttributeNames.WeightNormalizedLinear).Attribute;
        int outDim = last.Int("Out", 0);
        if (ShapeRules.Required(last, "Out", diagnostics) && ShapeRules.Positive(last, "Out", outDim, diagnostics))
        {
            if (bottleneck > 0 && outDim < bottleneck)
            {
                diagnostics.Add(DiagnosticDescriptors.OutDimBelowBottleneck, last.LocationOf("Out"), outDim, bottleneck);
                valid = false;
            }
        }
        else valid = false;

        return valid ? new HeadSpec(mlp.ToEquatableArray(), outDim, last.Bool("NormLastLayer", AttributeDefaults.NormLastLayer)) : null;
    }
}
