using System;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Parsing;

/// <summary>The shape checks presets and layer-by-layer declarations share; each reports on the offending argument.</summary>
internal static class ShapeRules
{
    /// <summary>Reports a required argument that was not written.</summary>
    public static bool Required(AttributeReader attribute, string property, DiagnosticBag diagnostics)
    {
        if (attribute.Has(property)) return true;
        diagnostics.Add(DiagnosticDescriptors.MissingRequiredArgument, attribute.Location, attribute.ShortName, property);
        return false;
    }

    public static bool Positive(AttributeReader attribute, string property, int value, DiagnosticBag diagnostics)
    {
        if (value > 0) return true;
        diagnostics.Add(DiagnosticDescriptors.NotPositive, attribute.LocationOf(property), attribute.ShortName + "." + property, value);
        return false;
    }

    public static bool Positive(AttributeReader attribute, string property, double value, DiagnosticBag diagnostics)
    {
        if (value > 0 && !double.IsInfinity(value)) return true;
        diagnostics.Add(DiagnosticDescriptors.NotPositive, attribute.LocationOf(property), attribute.ShortName + "." + property, value);
        return false;
    }

    public static void MultipleOfPatch(AttributeReader attribute, string property, int value, int patch, DiagnosticBag diagnostics)
    {
        if (value > 0 && patch > 0 && value % patch != 0)
            diagnostics.Add(DiagnosticDescriptors.NotMultipleOfPatch, attribute.LocationOf(property), property, value, patch);
    }

    public static void HeadsDivide(AttributeReader attribute, int embedDim, int heads, DiagnosticBag diagnostics)
    {
        if (embedDim > 0 && heads > 0 && embedDim % heads != 0)
            diagnostics.Add(DiagnosticDescriptors.EmbedDimNotDivisibleByHeads, attribute.LocationOf("Heads"), embedDim, heads);
    }

    /// <summary>The MLP's hidden width, or 0 (reported) when the ratio does not give a whole positive number.</summary>
    public static int MlpHidden(AttributeReader attribute, double ratio, int embedDim, DiagnosticBag diagnostics)
    {
        if (!Positive(attribute, "MlpRatio", ratio, diagnostics) || embedDim <= 0) return 0;
        double hidden = ratio * embedDim;
        double whole = Math.Round(hidden);
        if (Math.Abs(hidden - whole) > 1e-9 * Math.Max(1.0, hidden) || whole > int.MaxValue)
        {
            diagnostics.Add(DiagnosticDescriptors.MlpHiddenNotWhole, attribute.LocationOf("MlpRatio"), ratio, embedDim, hidden);
            return 0;
        }
        return (int)whole;
    }

    /// <summary>Stochastic-depth rates rising linearly from 0 to <paramref name="rate"/> over the blocks (torch.linspace).</summary>
    public static double[] DropPathSchedule(int depth, double rate)
    {
        var rates = new double[depth];
        for (int i = 0; i < depth; i++)
            rates[i] = depth == 1 ? 0.0 : rate * ((double)i / (depth - 1));
        return rates;
    }

    /// <summary>Reads the head preset (<c>[DinoHead]</c>) into the canonical head, or null when it is invalid.</summary>
    public static HeadSpec? HeadPreset(AttributeReader head, DiagnosticBag diagnostics)
    {
        int outDim = head.Int("OutDim", AttributeDefaults.OutDim);
        int hidden = head.Int("Hidden", AttributeDefaults.Hidden);
        int bottleneck = head.Int("Bottleneck", AttributeDefaults.Bottleneck);
        int layers = head.Int("Layers", AttributeDefaults.HeadLayers);
        bool normLastLayer = head.Bool("NormLastLayer", AttributeDefaults.NormLastLayer);

        bool valid = Positive(head, "OutDim", outDim, diagnostics)
            & Positive(head, "Hidden", hidden, diagnostics)
            & Positive(head, "Bottleneck", bottleneck, diagnostics)
            & Positive(head, "Layers", layers, diagnostics);
        if (valid && outDim < bottleneck)
        {
            diagnostics.Add(DiagnosticDescriptors.OutDimBelowBottleneck, head.LocationOf("OutDim"), outDim, bottleneck);
            valid = false;
        }
        if (!valid) return null;

        // As the reference DINOHead: Linear(in, hidden), GELU, [Linear(hidden, hidden), GELU]..., Linear(hidden, bottleneck).
        var mlp = new System.Collections.Generic.List<HeadLayerSpec>();
        for (int i = 0; i < layers - 1; i++)
        {
            mlp.Add(HeadLayerSpec.Linear(hidden, bias: true));
            mlp.Add(HeadLayerSpec.Gelu);
        }
        mlp.Add(HeadLayerSpec.Linear(bottleneck, bias: true));
        return new HeadSpec(mlp.ToEquatableArray(), outDim, normLastLayer);
    }
}
