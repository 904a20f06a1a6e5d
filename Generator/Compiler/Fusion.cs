using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Merges neighbouring ops into single kernel calls where the intermediate is never needed again:
/// Linear + GELU (the GEMM's epilogue applies GELU and keeps the pre-activation for the backward),
/// Linear + residual add with drop path (the epilogue adds s·(xWᵀ + b) to the residual stream),
/// and, in the backward, the input gradient of a Linear followed by GELU's derivative (epilogue multiplies by gelu'(pre)).
/// Attention, LayerNorm (whose backward accumulates into the residual gradient), the head's normalizations and the
/// DINO loss are single fused kernels already.
/// </summary>
internal static class Fusion
{
    public static void Run(Graph graph)
    {
        FuseForward(graph, OpKind.Gelu, (linear, gelu) =>
        {
            linear.Op = OpKind.LinearGelu;
            linear.PreActivation = linear.Outputs[0];
            linear.Outputs[0] = gelu.Outputs[0];
        });
        FuseForward(graph, OpKind.ResidualAdd, (linear, add) =>
        {
            if (add.Inputs[1] != linear.Outputs[0]) return false;
            linear.Op = OpKind.LinearResidual;
            linear.EpilogueInput = add.Inputs[0];
            linear.DropSlot = add.DropSlot;
            linear.Outputs[0] = add.Outputs[0];
            return true;
        });
        FuseInputGradGelu(graph);
    }

    private static void FuseForward(Graph graph, OpKind follower, System.Action<GraphNode, GraphNode> merge) =>
        FuseForward(graph, follower, (a, b) => { merge(a, b); return true; });

    private static void FuseForward(Graph graph, OpKind follower, System.Func<GraphNode, GraphNode, bool> merge)
    {
        var uses = Uses(graph);
        for (int i = 0; i + 1 < graph.Forward.Count; i++)
        {
            var linear = graph.Forward[i];
            var next = graph.Forward[i + 1];
            if (linear.Op != OpKind.Linear || next.Op != follower || !next.Inputs.Contains(linear.Outputs[0])) continue;
            // The Linear's output may feed only this op in the forward; the backward may still read a GELU's
            // pre-activation (kept by the epilogue), but never a residual branch.
            var users = uses[linear.Outputs[0]];
            var others = users.Where(n => n != linear && n != next).ToList();
            if (others.Any(n => graph.Forward.Contains(n))) continue;
            if (follower == OpKind.ResidualAdd && others.Count != 0) continue;
            if (merge(linear, next)) graph.Forward.RemoveAt(i + 1);
        }
    }

    private static void FuseInputGradGelu(Graph graph)
    {
        var uses = Uses(graph);
        for (int i = 0; i + 1 < graph.Backward.Count; i++)
        {
            var grad = graph.Backward[i];
            if (grad.Op != OpKind.LinearInputGrad || grad.Accumulate) continue;
            var gelu = graph.Backward.Skip(i + 1).FirstOrDefault(n => n.Op == OpKind.GeluGrad && n.Inputs[0] == grad.Outputs[0]);
            if (gelu is null || uses[grad.Outputs[0]].Count != 2) continue;
            grad.Op = OpKind.LinearInputGradGelu;
            grad.PreActivation = gelu.Inputs[1];
            grad.Outputs[0] = gelu.Outputs[0];
            graph.Backward.Remove(gelu);
        }
    }

    /// <summary>For each tensor, the nodes that read or write it.</summary>
    private static Dictionary<GraphTensor, List<GraphNode>> Uses(Graph graph)
    {
        var uses = graph.Tensors.ToDictionary(t => t, _ => new List<GraphNode>());
        foreach (var node in graph.Forward.Concat(graph.Backward))
            foreach (var tensor in node.Inputs.Concat(node.Outputs))
                uses[tensor].Add(node);
        return uses;
    }
}
