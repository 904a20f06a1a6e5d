using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Generator.Lowering;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Lowers the backbone at one crop size to a forward graph: patch embedding (im2col + Linear), class token and
/// position embedding (resized bicubically for a crop of another size), the pre-norm blocks with drop path on both
/// residual branches, and the final LayerNorm on the CLS rows, written to the caller's feature rows.
/// One unit of the batch is one image. Every block's output (<c>blocks.N</c>, all tokens before the final norm) and
/// attention probabilities (<c>blocks.N.attn.probs</c>) are taps: dense features and attention maps read them after
/// the forward.
/// </summary>
internal static class BackboneGraphBuilder
{
    public static Graph Build(CompiledModel model, int crop)
    {
        var spec = model.Spec;
        var parameters = model.Parameters.ToDictionary(p => p.Name);
        var graph = new Graph("Backbone" + crop);
        GraphTensor Param(string name, long extraOffset = 0, long? count = null)
        {
            var p = parameters[name];
            return graph.Parameter(name, p.Offset + extraOffset, count ?? p.Count - extraOffset);
        }

        int d = spec.EmbedDim, c = spec.Channels, patch = spec.Patch;
        int grid = crop / patch, patches = grid * grid, tokens = patches + 1;
        int sourceGrid = spec.ImageSize / patch;

        var images = graph.External("images", "b.Input", c * crop, crop);
        var columns = graph.Arena("patch_embed.columns", patches, c * patch * patch);
        Node(graph, OpKind.Im2Col, "patch_embed", new[] { images }, new[] { columns }, n => { n.Channels = c; n.Size = crop; n.Patch = patch; n.Rows = patches; });
        var embedded = graph.Arena("patch_embed.out", patches, d);
        Linear(graph, "patch_embed", columns, Param("patch_embed.proj.weight"), Param("patch_embed.proj.bias"), embedded, patches, c * patch * patch, d);

        // The CLS entry of pos_embed is kept; its patch part is resized when the crop's grid differs (reference DINO).
        var posCls = Param("pos_embed", 0, d);
        var posPatches = Param("pos_embed", d);
        if (grid != sourceGrid)
        {
            var resized = graph.FixedArena("pos_embed.resized", (long)patches * d);
            Node(graph, OpKind.ResizePositions, "pos_embed", new[] { posPatches }, new[] { resized }, n => { n.SourceGrid = sourceGrid; n.Grid = grid; n.In = d; });
            posPatches = resized;
        }
        var x = graph.Arena("tokens", tokens, d);
        Node(graph, OpKind.AssembleTokens, "tokens", new[] { embedded, Param("cls_token"), posCls, posPatches }, new[] { x }, n => { n.Rows = patches; n.In = d; });

        for (int i = 0; i < spec.Blocks.Count; i++)
        {
            var block = spec.Blocks[i];
            string layer = "blocks." + i, p = layer + ".";
            int hidden = block.MlpHidden;

            var ln1 = LayerNorm(graph, layer, x, Param(p + "norm1.weight"), Param(p + "norm1.bias"), tokens, d, spec.LayerNormEps, "norm1");
            var qkv = graph.Arena(p + "attn.qkv", tokens, 3 * d);
            Linear(graph, layer, ln1, Param(p + "attn.qkv.weight"), block.QkvBias ? Param(p + "attn.qkv.bias") : null, qkv, tokens, d, 3 * d);
            var attended = graph.Arena(p + "attn.out", tokens, d);
            var probs = graph.Arena(p + "attn.probs", block.Heads * tokens, tokens);
            probs.Tap = p + "attn.probs";
            Node(graph, OpKind.Attention, layer, new[] { qkv }, new[] { attended, probs }, n => { n.Rows = tokens; n.Heads = block.Heads; n.HeadDim = d / block.Heads; });
            var projected = graph.Arena(p + "attn.proj", tokens, d);
            Linear(graph, layer, attended, Param(p + "attn.proj.weight"), Param(p + "attn.proj.bias"), projected, tokens, d, d);
            var x1 = graph.Arena(p + "residual1", tokens, d);
            Node(graph, OpKind.ResidualAdd, layer, new[] { x, projected }, new[] { x1 }, n => { n.Rows = tokens; n.Out = d; n.DropSlot = 2 * i; });

            var ln2 = LayerNorm(graph, layer, x1, Param(p + "norm2.weight"), Param(p + "norm2.bias"), tokens, d, spec.LayerNormEps, "norm2");
            var h = graph.Arena(p + "mlp.fc1", tokens, hidden);
            Linear(graph, layer, ln2, Param(p + "mlp.fc1.weight"), Param(p + "mlp.fc1.bias"), h, tokens, d, hidden);
            var a = graph.Arena(p + "mlp.act", tokens, hidden);
            Node(graph, OpKind.Gelu, layer, new[] { h }, new[] { a }, n => { n.Rows = tokens; n.Out = hidden; });
            var m = graph.Arena(p + "mlp.fc2", tokens, d);
            Linear(graph, layer, a, Param(p + "mlp.fc2.weight"), Param(p + "mlp.fc2.bias"), m, tokens, hidden, d);
            var x2 = graph.Arena(p + "residual2", tokens, d);
            x2.Tap = layer;
            Node(graph, OpKind.ResidualAdd, layer, new[] { x1, m }, new[] { x2 }, n => { n.Rows = tokens; n.Out = d; n.DropSlot = 2 * i + 1; });
            x = x2;
        }

        // Only the CLS rows reach the head, so the final norm runs on them alone.
        var cls = graph.Arena("norm.cls", 1, d);
        Node(graph, OpKind.GatherClass, "norm", new[] { x }, new[] { cls }, n => { n.Rows = tokens; n.Out = d; });
        var features = graph.External("features", "b.Output", 1, d);
        LayerNorm(graph, "norm", cls, Param("norm.weight"), Param("norm.bias"), 1, d, spec.LayerNormEps, "norm", features);
        return graph;
    }

    internal static void Linear(Graph graph, string layer, GraphTensor x, GraphTensor weight, GraphTensor? bias, GraphTensor y, int rows, int input, int output)
    {
        var inputs = new List<GraphTensor> { x, weight };
        if (bias is not null) inputs.Add(bias);
        Node(graph, OpKind.Linear, layer, inputs, new[] { y }, n => { n.Rows = rows; n.In = input; n.Out = output; n.HasBias = bias is not null; });
    }

    private static GraphTensor LayerNorm(Graph graph, string layer, GraphTensor x, GraphTensor gamma, GraphTensor beta, int rows, int d, double eps, string name, GraphTensor? output = null)
    {
        string prefix = layer == name ? name : layer + "." + name;
        var y = output ?? graph.Arena(prefix + ".out", rows, d);
        var mean = graph.Arena(prefix + ".mean", rows, 1);
        var rstd = graph.Arena(prefix + ".rstd", rows, 1);
        Node(graph, OpKind.LayerNorm, layer, new[] { x, gamma, beta }, new[] { y, mean, rstd }, n => { n.Rows = rows; n.Out = d; n.Eps = eps; });
        return y;
    }

    internal static GraphNode Node(Graph graph, OpKind op, string layer, IEnumerable<GraphTensor> inputs, IEnumerable<GraphTensor> outputs, System.Action<GraphNode> configure)
    {
        var node = graph.Node(op, layer, inputs, outputs);
        configure(node);
        return node;
    }
}
