using System.Linq;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Lowers the DINO head to a forward graph over the CLS features of all crops: the MLP, L2-normalization, and the
/// weight-normalized last layer (W = g·v/‖v‖, computed once per pass, then one matrix product). One unit is one row.
/// </summary>
internal static class HeadGraphBuilder
{
    public static Graph Build(CompiledModel model)
    {
        var spec = model.Spec;
        var parameters = model.Parameters.ToDictionary(p => p.Name);
        var graph = new Graph("Head");
        GraphTensor Param(string name) => graph.Parameter(name, parameters[name].Offset, parameters[name].Count);

        var x = graph.External("features", "b.Input", 1, spec.EmbedDim);
        int width = spec.EmbedDim;
        var mlp = spec.Head.Mlp;
        for (int i = 0; i < mlp.Count; i++)
        {
            string layer = mlp.Count == 1 ? "head.mlp" : "head.mlp." + i;
            if (mlp[i].Kind == HeadLayerKind.Gelu)
            {
                var a = graph.Arena(layer + ".act", 1, width);
                BackboneGraphBuilder.Node(graph, OpKind.Gelu, layer, new[] { x }, new[] { a }, n => { n.Rows = 1; n.Out = width; });
                x = a;
                continue;
            }
            var y = graph.Arena(layer + ".out", 1, mlp[i].Out);
            BackboneGraphBuilder.Linear(graph, layer, x, Param(layer + ".weight"), mlp[i].Bias ? Param(layer + ".bias") : null, y, 1, width, mlp[i].Out);
            x = y;
            width = mlp[i].Out;
        }

        var normalized = graph.Arena("head.normalized", 1, width);
        var norms = graph.Arena("head.norms", 1, 1);
        BackboneGraphBuilder.Node(graph, OpKind.L2Normalize, "head", new[] { x }, new[] { normalized, norms }, n => { n.Rows = 1; n.Out = width; });

        int k = spec.Head.OutDim;
        var weight = graph.FixedArena("head.last_layer.weight", (long)k * width);
        var vNorms = graph.FixedArena("head.last_layer.v_norms", k);
        BackboneGraphBuilder.Node(graph, OpKind.WeightNorm, "head.last_layer",
            new[] { Param("head.last_layer.weight_g"), Param("head.last_layer.weight_v") }, new[] { weight, vNorms },
            n => { n.Out = k; n.In = width; n.TrainsGain = !spec.Head.NormLastLayer; });
        var logits = graph.External("logits", "b.Output", 1, k);
        BackboneGraphBuilder.Node(graph, OpKind.MatMul, "head.last_layer", new[] { normalized, weight }, new[] { logits }, n => { n.Rows = 1; n.In = width; n.Out = k; });
        return graph;
    }
}
