using System;
using System.Collections.Generic;
using DinoCompiled.Generator.Cuda;
using DinoCompiled.Generator.Emit;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Writes a segment's forward and backward for the GPU: the same nodes in the same order, the same arena offsets and
/// comments as <see cref="ScheduleEmitter"/>, each node a cuBLASLt GEMM (<c>ops.Gemm</c>) or one or more launches of the
/// model's generated kernels (<c>ops.Launch</c>). Grids that grow with the batch are computed from the units at run time.
/// </summary>
internal sealed partial class CudaScheduleEmitter
{
    private const string Args = "new global::DinoCompiled.Cuda.KernelArgs()";
    private const string Epilogue = "global::DinoCompiled.Cuda.CudaGemmEpilogue.";
    private const string NodeCall = "ops.Node(";
    private readonly Graph _graph;
    private readonly MemoryPlan _plan;
    private readonly IndentedWriter _w;
    private readonly CudaSourceEmitter _module;
    private readonly int _crop;
    private readonly int _embedDim;
    private readonly GpuArenaPlan? _gpu;

    private CudaScheduleEmitter(Graph graph, MemoryPlan plan, IndentedWriter writer, CudaSourceEmitter module, int crop, int embedDim, GpuArenaPlan? gpu = null)
    {
        _gpu = gpu;
        _graph = graph;
        _plan = plan;
        _w = writer;
        _module = module;
        _crop = crop;
        _embedDim = embedDim;
    }

    public static void Emit(Graph graph, MemoryPlan plan, IndentedWriter writer, CudaSourceEmitter module, int crop, int embedDim)
    {
        var emitter = new CudaScheduleEmitter(graph, plan, writer, module, crop, embedDim);
        emitter.Method("ForwardCuda", graph.Forward, "the forward pass on the GPU: reads b.Input, writes b.Output, keeps in b.Arena what the backward needs");
        writer.Line();
        emitter.Method("BackwardCuda", graph.Backward, "the backward pass on the GPU after ForwardCuda on the same arena: reads b.OutputGradient, accumulates into b.Gradients" +
            (graph.Name == "Head" ? ", writes b.InputGradient" : ""));
    }

    private void Method(string suffix, List<GraphNode> nodes, string summary, Func<GraphNode, List<string>>? calls = null, IEnumerable<string>? prologue = null)
    {
        calls ??= Calls;
        _w.Line("/// <summary>" + _graph.Name + ": " + summary + ".</summary>");
        using (_w.Block("public static void " + _graph.Name + suffix + "(in global::DinoCompiled.Compiled.SegmentBuffers b, global::DinoCompiled.Cuda.CudaOps ops)"))
        {
            _w.Line("int u = b.Units;");
            foreach (var line in prologue ?? Array.Empty<string>()) _w.Line(line);
            string? layer = null;
            foreach (var node in nodes)
            {
                if (node.Layer != layer)
                {
                    _w.Line("// " + node.Layer);
                    layer = node.Layer;
                }
                var lines = calls(node);
                string comment = "  // " + ScheduleEmitter.Describe(node);
                if (lines.Count == 0) _w.Line("// done by the node above:" + comment.Substring(4));
                else if (lines.Count == 1) _w.Line(lines[0] + comment);
                else if (lines.Count == 2 && lines[0].StartsWith(NodeCall, StringComparison.Ordinal)) _w.Line(lines[0] + " " + lines[1] + comment);
                else
                {
                    _w.Line("{" + comment);
                    _w.Indent();
                    foreach (var line in lines) _w.Line(line);
                    _w.Unindent();
                    _w.Line("}");
                }
            }
        }
    }

    private List<string> Calls(GraphNode n)
    {
        string rows = "u * " + n.Rows;
        string In(int i) => T(n.Inputs[i]);
        string Out(int i = 0) => T(n.Outputs[i]);
        string Drop() => n.DropSlot < 0 ? "default" : "b.Drop(" + n.DropSlot + ")";
        string Bias() => n.HasBias ? In(2) : "default";
        string biasEpilogue = n.HasBias ? "Bias" : "None";
        string acc = n.Accumulate ? "1" : "0";
        string beta = n.Accumulate ? "1f" : "0f";
        int d = _embedDim;
        var calls = new List<string>();
        void Gemm(string m, int nn, object k, string a, int lda, bool ta, string bm, int ldb, bool tb, string c, int ldc, string betaValue, string epilogue, string bias, string aux, int auxLd) =>
            calls.Add("ops.Gemm(" + m + ", " + nn + ", " + k + ", " + a + ", " + lda + ", " + B(ta) + ", " + bm + ", " + ldb + ", " + B(tb) + ", " + c + ", " + ldc + ", " + betaValue +
                      ", " + Epilogue + epilogue + ", " + bias + ", " + aux + ", " + auxLd + ");");
        void Launch(string kernel, string gridX, string gridY, int block, string args) =>
            calls.Add("ops.Launch(CudaKernel." + kernel + ", " + gridX + ", " + gridY + ", " + block + ", 0, " + Args + args + ");");
        void RowLaunch(string kernel, string rowCount, string args) => Launch(kernel, "CudaRowBlocks(" + rowCount + ")", "1", 256, args);
        void Stream(string kernel, string items, string args) => Launch(kernel, "CudaBlocks(" + items + ")", "1", 256, args);
        void RequireWidth(int width)
        {
            if (width != d) throw new InvalidOperationException("The CUDA kernel of " + n.Op + " is compiled for width " + d + ", not " + width + ".");
        }

        switch (n.Op)
        {
            case OpKind.Im2Col:
                Stream("dino_im2col", "(long)u * " + ((long)n.Channels * n.Size * n.Size), ".Ptr(" + In(0) + ").Ptr(" + Out() + ").Int(u).Int(" + n.Size + ")");
                break;
            case OpKind.Linear:
                Gemm(rows, n.Out, n.In, In(0), n.In, false, In(1), n.In, true, Out(), n.Out, "0f", biasEpilogue, Bias(), "default", 0);
                break;
            case OpKind.LinearGelu:
                Gemm(rows, n.Out, n.In, In(0), n.In, false, In(1), n.In, true, Out(), n.Out, "0f", "BiasGeluAux", Bias(), T(n.PreActivation!), n.Out);
                break;
            case OpKind.LinearResidual:
                Gemm(rows, n.Out, n.In, In(0), n.In, false, In(1), n.In, true, Out(), n.Out, "0f", biasEpilogue, Bias(), "default", 0);
                Stream("dino_residual_scale_add", "(long)" + rows + " * " + (n.Out / 4),
                    ".Ptr(" + Out() + ").Ptr(" + T(n.EpilogueInput!) + ").Ptr(" + Drop() + ").Int(" + n.Rows + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.Gelu:
                Stream("dino_gelu", "(long)" + rows + " * " + n.Out + " / 4", ".Ptr(" + In(0) + ").Ptr(" + Out() + ").Long((long)" + rows + " * " + n.Out + ")");
                break;
            case OpKind.ResidualAdd:
                Stream("dino_residual_add", "(long)" + rows + " * " + (n.Out / 4),
                    ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + Drop() + ").Int(" + n.Rows + ").Ptr(" + Out() + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.LayerNorm:
                RequireWidth(n.Out);
                RowLaunch("dino_layernorm", rows, ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + Out(0) + ").Ptr(" + Out(1) + ").Ptr(" + Out(2) + ").Int(" + rows + ")");
                break;
            case OpKind.Attention:
            {
                var tiles = _module.AttentionPlans[(n.Rows, n.HeadDim)];
                Launch(CudaSourceEmitter.AttentionKernel("", n.Rows, n.HeadDim), Blocks(n.Rows, tiles.QueryTile), "(uint)(u * " + n.Heads + ")", 256,
                    ".Ptr(" + In(0) + ").Ptr(" + Out(0) + ").Ptr(" + Out(1) + ")");
                break;
            }
            case OpKind.ResizePositions:
                RequireWidth(n.In);
                Launch(CudaSourceEmitter.ResizeKernel(_crop, false), (n.Grid * n.Grid).ToString(System.Globalization.CultureInfo.InvariantCulture), "1", 128, ".Ptr(" + In(0) + ").Ptr(" + Out() + ")");
                break;
            case OpKind.AssembleTokens:
                RequireWidth(n.In);
                Stream("dino_assemble_tokens", "(long)u * " + ((long)(n.Rows + 1) * n.In / 4),
                    ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + In(3) + ").Ptr(" + Out() + ").Int(u).Int(" + n.Rows + ")");
                break;
            case OpKind.GatherClass:
                RequireWidth(n.Out);
                Stream("dino_gather_class", "(long)u * " + (n.Out / 4), ".Ptr(" + In(0) + ").Ptr(" + Out() + ").Int(u).Int(" + n.Rows + ")");
                break;
            case OpKind.L2Normalize:
                RowLaunch("dino_l2_normalize", rows, ".Ptr(" + In(0) + ").Ptr(" + Out(0) + ").Ptr(" + Out(1) + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.WeightNorm:
                Launch("dino_weight_norm", Blocks(n.Out, 8), "1", 256, ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + Out(0) + ").Ptr(" + Out(1) + ").Int(" + n.Out + ").Int(" + n.In + ")");
                break;
            case OpKind.MatMul:
                Gemm(rows, n.Out, n.In, In(0), n.In, false, In(1), n.In, true, Out(), n.Out, "0f", "None", "default", "default", 0);
                break;

            case OpKind.LinearInputGrad:
            case OpKind.MatMulInputGrad:
                Gemm(rows, n.In, n.Out, In(0), n.Out, false, In(1), n.In, false, Out(), n.In, beta, "None", "default", "default", 0);
                break;
            case OpKind.LinearInputGradGelu:
                Gemm(rows, n.In, n.Out, In(0), n.Out, false, In(1), n.In, false, Out(), n.In, "0f", "GeluBackwardAux", "default", T(n.PreActivation!), n.In);
                break;
            case OpKind.LinearWeightGrad:
                Gemm(n.Out.ToString(System.Globalization.CultureInfo.InvariantCulture), n.In, rows, In(0), n.Out, true, In(1), n.In, false, Out(), n.In, "1f", "None", "default", "default", 0);
                break;
            case OpKind.MatMulWeightGrad:
                Gemm(n.Out.ToString(System.Globalization.CultureInfo.InvariantCulture), n.In, rows, In(0), n.Out, true, In(1), n.In, false, Out(), n.In, beta, "None", "default", "default", 0);
                break;
            case OpKind.BiasGrad:
                calls.Add("uint chunks = CudaChunks(" + rows + ", 64);");
                Launch("dino_bias_grad", Blocks(n.Out, 32), "chunks", 256, ".Ptr(" + In(0) + ").Int(" + rows + ").Int(" + n.Out + ")");
                Launch("dino_reduce_partials", Blocks(n.Out, 256), "1", 256, ".Int((int)chunks).Int(" + n.Out + ").Ptr(" + Out() + ").Ptr(default)");
                break;
            case OpKind.GeluGrad:
                Stream("dino_gelu_grad", "(long)" + rows + " * " + n.Out + " / 4", ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + Out() + ").Long((long)" + rows + " * " + n.Out + ")");
                break;
            case OpKind.ScaleRows:
                Stream("dino_scale_rows", "(long)" + rows + " * " + (n.Out / 4),
                    ".Ptr(" + In(0) + ").Ptr(" + Drop() + ").Int(" + n.Rows + ").Ptr(" + Out() + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.Accumulate:
                Stream("dino_accumulate", "(" + ScheduleEmitter.Count(n.Outputs[0]) + ") / 4", ".Ptr(" + In(0) + ").Ptr(" + Out() + ").Long(" + ScheduleEmitter.Count(n.Outputs[0]) + ")");
                break;
            case OpKind.LayerNormGrad:
                RequireWidth(n.Out);
                calls.Add("uint chunks = CudaChunks(" + rows + ", 32);");
                Launch("dino_layernorm_grad", "chunks", "1", 256,
                    ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + In(3) + ").Ptr(" + In(4) + ").Ptr(" + Out(0) + ").Int(" + rows + ").Int(" + acc + ")");
                Launch("dino_reduce_partials", Blocks(2 * n.Out, 256), "1", 256, ".Int((int)chunks).Int(" + n.Out + ").Ptr(" + Out(1) + ").Ptr(" + Out(2) + ")");
                break;
            case OpKind.AttentionGrad:
            {
                // dV reads the probabilities; the query kernel then overwrites them with dS, which dK reads.
                var tiles = _module.AttentionPlans[(n.Rows, n.HeadDim)];
                string heads = "(uint)(u * " + n.Heads + ")";
                Launch(CudaSourceEmitter.AttentionKernel("_grad_dv", n.Rows, n.HeadDim), Blocks(n.Rows, tiles.KeyBlock), heads, 256, ".Ptr(" + In(0) + ").Ptr(" + In(2) + ").Ptr(" + Out() + ")");
                Launch(CudaSourceEmitter.AttentionKernel("_grad_dq", n.Rows, n.HeadDim), Blocks(n.Rows, tiles.QueryTile), heads, 256, ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + Out() + ")");
                Launch(CudaSourceEmitter.AttentionKernel("_grad_dk", n.Rows, n.HeadDim), Blocks(n.Rows, tiles.KeyBlock), heads, 256, ".Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + Out() + ")");
                break;
            }
            case OpKind.ResizePositionsGrad:
                RequireWidth(n.In);
                Launch(CudaSourceEmitter.ResizeKernel(_crop, true), (n.SourceGrid * n.SourceGrid).ToString(System.Globalization.CultureInfo.InvariantCulture), "1", 128, ".Ptr(" + In(0) + ").Ptr(" + Out() + ")");
                break;
            case OpKind.AssembleTokensGrad:
                RequireWidth(n.In);
                Launch("dino_assemble_tokens_grad", Blocks((n.Rows + 1) * n.In, 256), "1", 256,
                    ".Ptr(" + In(0) + ").Ptr(" + Out(0) + ").Ptr(" + Out(1) + ").Ptr(" + Out(2) + ").Ptr(" + Out(3) + ").Int(u).Int(" + n.Rows + ")");
                break;
            case OpKind.ScatterClass:
                RequireWidth(n.Out);
                Stream("dino_scatter_class", "(long)u * " + ((long)n.Rows * n.Out / 4), ".Ptr(" + In(0) + ").Ptr(" + Out() + ").Int(u).Int(" + n.Rows + ")");
                break;
            case OpKind.L2NormalizeGrad:
                RowLaunch("dino_l2_normalize_grad", rows, ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + Out() + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.WeightNormGrad:
                Launch("dino_weight_norm_grad", Blocks(n.Out, 8), "1", 256, ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + In(3) + ").Ptr(" +
                    (n.TrainsGain ? Out(1) : "default") + ").Ptr(" + Out(0) + ").Int(" + n.Out + ").Int(" + n.In + ")");
                break;
            case OpKind.Clear:
                Stream("dino_clear", "(" + ScheduleEmitter.Count(n.Outputs[0]) + ") / 4", ".Ptr(" + Out() + ").Long(" + ScheduleEmitter.Count(n.Outputs[0]) + ")");
                break;
            default:
                throw new InvalidOperationException("No CUDA emitter for " + n.Op + ".");
        }
        return Checked(calls);
    }

    /// <summary>Every kernel a call launches must be in the module (its index is looked up now, at build time).</summary>
    private List<string> Checked(List<string> calls)
    {
        foreach (var call in calls)
        {
            int at = call.IndexOf("CudaKernel.", StringComparison.Ordinal);
            if (at >= 0) _module.IndexOf(call.Substring(at + "CudaKernel.".Length, call.IndexOf(',', at) - at - "CudaKernel.".Length));
        }
        return calls;
    }

    private string T(GraphTensor tensor) => _gpu is null ? ScheduleEmitter.TensorExpression(tensor, _plan) : GpuTensor(tensor);

    private static string Blocks(long items, int perBlock) => ((items + perBlock - 1) / perBlock).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string B(bool value) => value ? "true" : "false";
}
