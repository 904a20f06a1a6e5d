using System;
using System.Globalization;
using System.Linq;
using DinoCompiled.Generator.Emit;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Writes a segment's forward and backward as straight-line C#: one call into <c>DinoCompiled.Compiled.CpuOps</c> per
/// (fused) node, with every shape a constant and every arena offset a constant times the batch units. A comment names
/// the layer and the operation; nothing is interpreted at run time and nothing is allocated.
/// </summary>
internal sealed class ScheduleEmitter
{
    private const string Ops = "global::DinoCompiled.Compiled.CpuOps.";
    private readonly Graph _graph;
    private readonly MemoryPlan _plan;
    private readonly IndentedWriter _w;

    private ScheduleEmitter(Graph graph, MemoryPlan plan, IndentedWriter writer)
    {
        _graph = graph;
        _plan = plan;
        _w = writer;
    }

    public static void Emit(Graph graph, MemoryPlan plan, IndentedWriter writer, string resizePlan)
    {
        var emitter = new ScheduleEmitter(graph, plan, writer) { _resizePlan = resizePlan };
        emitter.Method("Forward", graph.Forward, "the forward pass: reads b.Input, writes b.Output, keeps in b.Arena what the backward needs");
        writer.Line();
        emitter.Method("Backward", graph.Backward, "the backward pass after Forward on the same arena: reads b.OutputGradient, accumulates into b.Gradients" +
            (graph.Name == "Head" ? ", writes b.InputGradient" : ""));
    }

    private string _resizePlan = "";

    private void Method(string pass, System.Collections.Generic.List<GraphNode> nodes, string summary)
    {
        _w.Line("/// <summary>" + _graph.Name + ": " + summary + ".</summary>");
        using (_w.Block("public static void " + _graph.Name + pass + "(in global::DinoCompiled.Compiled.SegmentBuffers b)"))
        {
            _w.Line("int u = b.Units;");
            string? layer = null;
            foreach (var node in nodes)
            {
                if (node.Layer != layer)
                {
                    _w.Line("// " + node.Layer);
                    layer = node.Layer;
                }
                _w.Line(Call(node));
            }
        }
    }

    private string Call(GraphNode n)
    {
        string rows = "u * " + n.Rows;
        string In(int i) => T(n.Inputs[i]);
        string Out(int i = 0) => T(n.Outputs[i]);
        string Drop() => n.DropSlot < 0 ? "default" : "b.Drop(" + n.DropSlot + ")";
        string acc = n.Accumulate ? "true" : "false";
        string Bias() => n.HasBias ? In(2) : "default";
        return n.Op switch
        {
            OpKind.Im2Col => $"{Ops}Im2Col({In(0)}, {Out()}, u, {n.Channels}, {n.Size}, {n.Patch});",
            OpKind.Linear => $"{Ops}Linear({In(0)}, {In(1)}, {Bias()}, {Out()}, {rows}, {n.In}, {n.Out});",
            OpKind.LinearGelu => $"{Ops}LinearGelu({In(0)}, {In(1)}, {Bias()}, {T(n.PreActivation!)}, {Out()}, {rows}, {n.In}, {n.Out});",
            OpKind.LinearResidual => $"{Ops}LinearResidual({In(0)}, {In(1)}, {Bias()}, {T(n.EpilogueInput!)}, {Drop()}, {n.Rows}, {Out()}, {rows}, {n.In}, {n.Out});",
            OpKind.Gelu => $"{Ops}Gelu({In(0)}, {Out()}, (long){rows} * {n.Out});",
            OpKind.ResidualAdd => $"{Ops}ResidualAdd({In(0)}, {In(1)}, {Drop()}, {n.Rows}, {Out()}, {rows}, {n.Out});",
            OpKind.LayerNorm => $"{Ops}LayerNorm({In(0)}, {In(1)}, {In(2)}, {Out(0)}, {Out(1)}, {Out(2)}, {rows}, {n.Out}, {Fmt(n.Eps)}f);",
            OpKind.Attention => $"{Ops}Attention({In(0)}, {Out(0)}, {Out(1)}, u, {n.Rows}, {n.Heads}, {n.HeadDim});",
            OpKind.ResizePositions => $"{Ops}ResizePositions({_resizePlan}, {In(0)}, {Out()}, {n.In});",
            OpKind.AssembleTokens => $"{Ops}AssembleTokens({In(0)}, {In(1)}, {In(2)}, {In(3)}, {Out()}, u, {n.Rows}, {n.In});",
            OpKind.GatherClass => $"{Ops}GatherClass({In(0)}, {Out()}, u, {n.Rows}, {n.Out});",
            OpKind.L2Normalize => $"{Ops}L2Normalize({In(0)}, {Out(0)}, {Out(1)}, {rows}, {n.Out});",
            OpKind.WeightNorm => $"{Ops}WeightNorm({In(0)}, {In(1)}, {Out(0)}, {Out(1)}, {n.Out}, {n.In});",
            OpKind.MatMul => $"{Ops}MatMul({In(0)}, {In(1)}, {Out()}, {rows}, {n.In}, {n.Out});",

            OpKind.LinearInputGrad => $"{Ops}LinearInputGrad({In(0)}, {In(1)}, {Out()}, {rows}, {n.In}, {n.Out}, accumulate: {acc});",
            OpKind.LinearInputGradGelu => $"{Ops}LinearInputGradGelu({In(0)}, {In(1)}, {T(n.PreActivation!)}, {Out()}, {rows}, {n.In}, {n.Out});",
            OpKind.LinearWeightGrad => $"{Ops}LinearWeightGrad({In(0)}, {In(1)}, {Out()}, {rows}, {n.In}, {n.Out});",
            OpKind.BiasGrad => $"{Ops}BiasGrad({In(0)}, {Out()}, {rows}, {n.Out});",
            OpKind.GeluGrad => $"{Ops}GeluGrad({In(0)}, {In(1)}, {Out()}, (long){rows} * {n.Out});",
            OpKind.ScaleRows => $"{Ops}ScaleRows({In(0)}, {Drop()}, {n.Rows}, {Out()}, {rows}, {n.Out});",
            OpKind.Accumulate => $"{Ops}Accumulate({In(0)}, {Out()}, {Count(n.Outputs[0])});",
            OpKind.LayerNormGrad => $"{Ops}LayerNormGrad({In(0)}, {In(1)}, {In(2)}, {In(3)}, {In(4)}, {Out(0)}, {Out(1)}, {Out(2)}, {rows}, {n.Out}, accumulate: {acc});",
            OpKind.AttentionGrad => $"{Ops}AttentionGrad({In(0)}, {In(1)}, {In(2)}, {Out()}, u, {n.Rows}, {n.Heads}, {n.HeadDim});",
            OpKind.ResizePositionsGrad => $"{Ops}ResizePositionsGrad({_resizePlan}, {In(0)}, {Out()}, {n.In});",
            OpKind.AssembleTokensGrad => $"{Ops}AssembleTokensGrad({In(0)}, {Out(0)}, {Out(1)}, {Out(2)}, {Out(3)}, u, {n.Rows}, {n.In});",
            OpKind.ScatterClass => $"{Ops}ScatterClass({In(0)}, {Out()}, u, {n.Rows}, {n.Out});",
            OpKind.L2NormalizeGrad => $"{Ops}L2NormalizeGrad({In(0)}, {In(1)}, {In(2)}, {Out()}, {rows}, {n.Out});",
            OpKind.WeightNormGrad => $"{Ops}WeightNormGrad({In(0)}, {In(1)}, {In(2)}, {In(3)}, {(n.TrainsGain ? Out(1) : "default")}, {Out(0)}, {n.Out}, {n.In});",
            OpKind.MatMulInputGrad => $"{Ops}MatMulInputGrad({In(0)}, {In(1)}, {Out()}, {rows}, {n.In}, {n.Out}, accumulate: {acc});",
            OpKind.MatMulWeightGrad => $"{Ops}MatMulWeightGrad({In(0)}, {In(1)}, {Out()}, {rows}, {n.In}, {n.Out}, accumulate: {acc});",
            OpKind.Clear => $"{Ops}Clear({Out()}, {Count(n.Outputs[0])});",
            _ => throw new InvalidOperationException("No emitter for " + n.Op + "."),
        } + "  // " + Describe(n);
    }

    /// <summary>The C# expression of a tensor's first element.</summary>
    private string T(GraphTensor tensor) => TensorExpression(tensor, _plan);

    /// <summary>The C# expression of a tensor's first element under <paramref name="plan"/> (shared with the CUDA schedule).</summary>
    internal static string TensorExpression(GraphTensor tensor, MemoryPlan plan)
    {
        var storage = tensor.Storage;
        return storage.Role switch
        {
            TensorRole.Parameter => "b.Parameters + " + CodeText.Long(storage.ParameterOffset),
            TensorRole.ParameterGradient => "b.Gradients + " + CodeText.Long(storage.ParameterOffset),
            TensorRole.External => storage.External,
            _ => storage.IsFixed
                ? "b.Arena + " + CodeText.Long(plan.Offsets[storage])
                : "b.Arena + " + CodeText.Long(plan.FixedFloats) + " + " + CodeText.Long(plan.Offsets[storage]) + "L * u",
        };
    }

    internal static string Count(GraphTensor t) => t.IsFixed ? CodeText.Long(t.FixedCount) + "L" : CodeText.Long(t.CountPerUnit) + "L * u";

    internal static string Describe(GraphNode n)
    {
        string outputs = string.Join(", ", n.Outputs.Select(t => t.Name));
        string inputs = string.Join(", ", n.Inputs.Select(t => t.Name));
        return outputs + " <- " + n.Op + "(" + inputs + (n.EpilogueInput is null ? "" : ", " + n.EpilogueInput.Name) + ")";
    }

    internal static string Fmt(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
