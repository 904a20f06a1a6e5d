using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Emit;

/// <summary>
/// Writes the generated half of a model class: an XML-doc summary (architecture, counts, FLOPs per crop),
/// count constants, and the <c>Description</c> with the full parameter table.
/// </summary>
internal static class ModelEmitter
{
    private const string Ns = "global::DinoCompiled.";
    private const string Immutable = "global::System.Collections.Immutable.ImmutableArray";

    /// <summary>
    /// The generated file's name. Roslyn compares hint names ignoring case, so two models whose class names differ
    /// only in case (<c>VitTiny</c>, <c>Vittiny</c>) would collide: a hash of the exact name tells them apart.
    /// </summary>
    public static string HintName(ModelSpec spec) => spec.FullTypeName + "." + CaseHash(spec.FullTypeName) + ".g.cs";

    private static string CaseHash(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = unchecked((hash ^ c) * 16777619);
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Emit(CompiledModel model)
    {
        var spec = model.Spec;
        var w = new IndentedWriter();
        w.Line(CodeText.Header);
        w.Line("// DinoCompiled.Generator compiled '" + spec.ModelName + "' from the " + spec.DeclaredWith + " declared on " + spec.FullTypeName + ".");
        w.Line("// Do not edit: change the attributes and build again.");
        w.Line("#nullable enable");
        w.Line();
        if (spec.Namespace.Length > 0)
        {
            using (w.Block("namespace " + spec.Namespace)) WriteClass(w, model);
        }
        else WriteClass(w, model);
        return w.ToString();
    }

    private static void WriteClass(IndentedWriter w, CompiledModel model)
    {
        var spec = model.Spec;
        WriteSummary(w, model);
        using (w.Block("partial class " + spec.ClassName + " : " + Ns + "Compiled.ICompiledDinoModel"))
        {
            w.Line("/// <summary>The model's name on the command line.</summary>");
            w.Line("public const string ModelName = " + CodeText.String(spec.ModelName) + ";");
            w.Line();
            w.Line("/// <summary>Elements in the backbone's tensors.</summary>");
            w.Line("public const long BackboneParameterCount = " + CodeText.Long(model.Count(head: false)) + ";");
            w.Line();
            w.Line("/// <summary>Elements in the head's tensors, <c>weight_g</c> included.</summary>");
            w.Line("public const long HeadParameterCount = " + CodeText.Long(model.Count(head: true)) + ";");
            w.Line();
            w.Line("/// <summary>Elements the optimizer updates.</summary>");
            w.Line("public const long TrainableParameterCount = " + CodeText.Long(model.TrainableCount) + ";");
            w.Line();
            w.Line("/// <summary>Length of the flat parameter buffer (and of the gradient, moment and teacher buffers), alignment padding included.</summary>");
            w.Line("public const long FlatParameterLength = " + CodeText.Long(model.FlatLength) + ";");
            w.Line();
            w.Line("/// <summary>Every parameter in state-dict order with its shape, flat-buffer offset, initializer and optimizer flags.</summary>");
            w.Line("public static " + Ns + "ParameterTable Parameters => Description.Parameters;");
            w.Line();
            w.Line("/// <inheritdoc cref=\"" + Ns + "IDinoModel.Description\"/>");
            w.Line("public static " + Ns + "ModelDescription Description { get; } = new " + Ns + "ModelDescription(");
            w.Indent();
            w.Line(CodeText.String(spec.ModelName) + ",");
            w.Line(CodeText.String(spec.FullTypeName) + ",");
            w.Line("CreateArchitecture(),");
            w.Line("new " + Ns + "ParameterTable(CreateParameters(), FlatParameterLength),");
            w.Line(Immutable + ".Create(");
            w.Indent();
            for (int i = 0; i < model.Costs.Count; i++)
            {
                var cost = model.Costs[i];
                w.Line("new " + Ns + "CropFlops(" + cost.Crop + ", " + cost.Tokens + ", " + CodeText.Long(cost.BackboneFlops) + ", " +
                    CodeText.Long(cost.HeadFlops) + ")" + (i == model.Costs.Count - 1 ? ")," : ","));
            }
            w.Unindent();
            var plans = model.Schedule!.Plans;
            w.Line(Immutable + ".Create(");
            w.Indent();
            for (int i = 0; i < plans.Count; i++)
            {
                var p = plans[i];
                string end = i == plans.Count - 1 ? "));" : ",";
                string plan = "new " + Ns + "ArenaPlan(" + CodeText.String(p.Segment) + ", " + p.Crop + ", " + CodeText.Long(p.FixedFloats) + ", " + CodeText.Long(p.FloatsPerUnit) + ", " +
                              CodeText.Long(p.UnplannedFixedFloats) + ", " + CodeText.Long(p.UnplannedFloatsPerUnit) + ", " + p.Nodes + ")";
                if (p.Taps.Count == 0)
                {
                    w.Line(plan + end);
                    continue;
                }
                w.Line(plan);
                w.Line("{");
                w.Indent();
                w.Line("Taps = " + Immutable + ".Create(");
                w.Indent();
                for (int t = 0; t < p.Taps.Count; t++)
                {
                    var tap = p.Taps[t];
                    w.Line("new " + Ns + "ArenaTap(" + CodeText.String(tap.Name) + ", " + CodeText.Long(tap.Offset) + ", " + tap.RowsPerUnit + ", " + tap.Cols + ")" +
                           (t == p.Taps.Count - 1 ? ")," : ","));
                }
                w.Unindent();
                w.Unindent();
                w.Line("}" + end);
            }
            w.Unindent();
            w.Unindent();
            w.Line();
            WriteArchitecture(w, spec);
            w.Line();
            WriteParameters(w, model);
            w.Line();
            // The compiled schedule was written at depth 0; it goes in at the class's depth.
            foreach (var line in model.Schedule!.Members.TrimEnd('\n').Split('\n')) w.Line(line);
        }
    }

    private static void WriteSummary(IndentedWriter w, CompiledModel model)
    {
        var spec = model.Spec;
        var first = spec.Blocks[0];
        bool uniform = spec.Blocks.All(b => b.Heads == first.Heads && b.MlpHidden == first.MlpHidden);
        string blocks = uniform
            ? spec.Blocks.Count + " blocks of " + first.Heads + " heads, MLP " + first.MlpHidden
            : spec.Blocks.Count + " blocks (heads " + string.Join("/", spec.Blocks.Select(b => b.Heads)) + ")";
        string mlp = string.Join(", ", spec.Head.Mlp.Select(l => l.Kind == HeadLayerKind.Gelu ? "GELU" : "Linear " + l.Out));

        w.Line("/// <summary>");
        w.Line("/// <para><c>" + spec.ModelName + "</c>: a ViT backbone (" + spec.Channels + (spec.Channels == 1 ? " channel" : " channels") + ", image " + spec.ImageSize + ", patch " + spec.Patch +
               ", width " + spec.EmbedDim + ", " + blocks + ") with a DINO head (" + mlp + "; L2-normalize; weight-normalized Linear to " +
               spec.Head.OutDim + (spec.Head.NormLastLayer ? ", weight_g frozen" : "") + ").</para>");
        w.Line("/// <para>Parameters: backbone " + Formatting.Grouped(model.Count(head: false)) + "; head " + Formatting.Grouped(model.Count(head: true)) +
               "; trainable " + Formatting.Grouped(model.TrainableCount) + "; flat buffer " + Formatting.Grouped(model.FlatLength) + " elements.</para>");
        w.Line("/// <para>Forward FLOPs per image (2 × multiply-adds of the matrix products; a training step is about 3×):</para>");
        w.Line("/// <list type=\"table\">");
        w.Line("/// <listheader><term>crop</term><description>tokens; backbone + head = total</description></listheader>");
        for (int i = 0; i < model.Costs.Count; i++)
        {
            var c = model.Costs[i];
            string role = i == 0 ? "global" : "local";
            w.Line("/// <item><term>" + c.Crop + " (" + role + ")</term><description>" + c.Tokens + " tokens; " + Formatting.Grouped(c.BackboneFlops) + " + " +
                   Formatting.Grouped(c.HeadFlops) + " = " + CodeText.Flops(c.BackboneFlops + c.HeadFlops) + "</description></item>");
        }
        w.Line("/// </list>");
        w.Line("/// </summary>");
    }

    private static void WriteArchitecture(IndentedWriter w, ModelSpec spec)
    {
        using (w.Block("private static " + Ns + "ArchitectureInfo CreateArchitecture()"))
        {
            w.Line("var blocks = " + Immutable + ".Create(");
            w.Indent();
            for (int i = 0; i < spec.Blocks.Count; i++)
            {
                var b = spec.Blocks[i];
                w.Line("new " + Ns + "BlockInfo(" + b.Heads + ", " + b.MlpHidden + ", " + CodeText.Bool(b.QkvBias) + ", " + CodeText.Double(b.DropPath) + ")" +
                       (i == spec.Blocks.Count - 1 ? ");" : ","));
            }
            w.Unindent();
            var widths = new List<string>();
            var gelus = new List<string>();
            for (int i = 0; i < spec.Head.Mlp.Count; i++)
            {
                if (spec.Head.Mlp[i].Kind != HeadLayerKind.Linear) continue;
                widths.Add(spec.Head.Mlp[i].Out.ToString(System.Globalization.CultureInfo.InvariantCulture));
                gelus.Add(CodeText.Bool(i + 1 < spec.Head.Mlp.Count && spec.Head.Mlp[i + 1].Kind == HeadLayerKind.Gelu));
            }
            w.Line("var head = new " + Ns + "HeadInfo(" + Immutable + ".Create(" + string.Join(", ", widths) + "), " + Immutable + ".Create(" + string.Join(", ", gelus) + "), " +
                   spec.Head.OutDim + ", " + CodeText.Bool(spec.Head.NormLastLayer) + ");");
            w.Line("return new " + Ns + "ArchitectureInfo(" + spec.Channels + ", " + spec.ImageSize + ", " + spec.Patch + ", " + spec.EmbedDim + ", blocks, " +
                   CodeText.Double(spec.LayerNormEps) + ", " + spec.GlobalCrop + ", " + spec.LocalCrop + ", head);");
        }
    }

    private static void WriteParameters(IndentedWriter w, CompiledModel model)
    {
        using (w.Block("private static " + Immutable + "<" + Ns + "ParameterInfo> CreateParameters()"))
        {
            w.Line("const " + Ns + "InitKind Constant = " + Ns + "InitKind.Constant;");
            w.Line("const " + Ns + "InitKind TruncatedNormal = " + Ns + "InitKind.TruncatedNormal;");
            w.Line("const " + Ns + "InitKind Uniform = " + Ns + "InitKind.Uniform;");
            w.Line("const " + Ns + "ModelPart Backbone = " + Ns + "ModelPart.Backbone;");
            w.Line("const " + Ns + "ModelPart Head = " + Ns + "ModelPart.Head;");
            w.Line("var table = " + Immutable + ".CreateBuilder<" + Ns + "ParameterInfo>(" + model.Parameters.Count + ");");
            string? layer = null;
            foreach (var p in model.Parameters)
            {
                if (p.Layer != layer)
                {
                    w.Line("// " + p.Layer);
                    layer = p.Layer;
                }
                w.Line("table.Add(P(" + CodeText.String(p.Name) + ", " + CodeText.IntArray(p.Shape) + ", offset: " + CodeText.Long(p.Offset) +
                       ", count: " + CodeText.Long(p.Count) + ", " + p.Init + ", " + CodeText.Double(p.InitScale) +
                       ", decay: " + CodeText.Bool(p.WeightDecay) + ", trainable: " + CodeText.Bool(p.Trainable) + ", " + (p.IsHead ? "Head" : "Backbone") + "));");
            }
            w.Line("return table.MoveToImmutable();");
            w.Line();
            w.Line("static " + Ns + "ParameterInfo P(string name, int[] shape, long offset, long count, " + Ns + "InitKind init, double scale, bool decay, bool trainable, " + Ns + "ModelPart part) =>");
            w.Line("    new " + Ns + "ParameterInfo(name, " + Immutable + ".Create(shape), offset, count, new " + Ns + "ParameterInit(init, scale), decay, trainable, part);");
        }
    }
}
