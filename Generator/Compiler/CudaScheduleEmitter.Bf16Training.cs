using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DinoCompiled.Generator.Cuda;
using DinoCompiled.Generator.Emit;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// The bf16 training schedule (docs/BF16.md): the segment's forward, keeping what its backward reads, and the backward,
/// on the GPU training plan (<see cref="GpuSegmentPlanner.PlanTraining"/>). The forward is the forward-only schedule's
/// node for node; the backward takes bf16 GEMM operands and writes fp32 parameter gradients (β = 1 into the flat
/// buffer), recomputes each fused fc1's GELU output in its GELU-derivative pass, writes each drop-path branch gradient in
/// the LayerNorm backward before it (<see cref="GpuArenaPlan.FusedScale"/>, <see cref="GpuArenaPlan.FusedRecompute"/>), and
/// runs flash attention's backward (delta, then dK/dV, then dQ) from the kept output and log-sum-exp.
/// </summary>
internal sealed partial class CudaScheduleEmitter
{
    private readonly HashSet<GraphTensor> _recomputedDone = new();

    /// <summary>Writes <c>{Segment}ForwardCudaBf16</c> and <c>{Segment}BackwardCudaBf16</c>; returns why they only throw, or null.</summary>
    public static string? EmitTrainingBf16(Graph graph, IndentedWriter writer, CudaSourceEmitter module, int crop, int embedDim)
    {
        var gpu = GpuSegmentPlanner.PlanTraining(graph);
        var emitter = new CudaScheduleEmitter(graph, new MemoryPlan(), writer, module, crop, embedDim, gpu);
        string arena = "the arena holds " + CodeText.Long(gpu.FixedBytes) + " + " + CodeText.Long(gpu.BytesPerUnit) + " bytes per unit";
        string forward = "the forward in bf16 (the student's): reads b.Input, writes b.Output, keeps in b.Arena what BackwardCudaBf16 reads; " + arena;
        string backward = "the backward in bf16 after ForwardCudaBf16 on the same arena: reads b.OutputGradient" +
                          (graph.Name == "Head" ? " (bf16, from dino_loss_student_bf16)" : "") + ", accumulates into the fp32 b.Gradients" +
                          (graph.Name == "Head" ? ", writes the fp32 b.InputGradient" : "");
        var unsupported = graph.Forward.FirstOrDefault(n => n.Op == OpKind.Attention && FlashTilePlan.TryCreate(n.Rows, n.HeadDim) is not { HasBackward: true });
        if (unsupported is not null)
        {
            string message = "The bf16 training schedule needs flash attention's backward, which serves head dims up to " + FlashTilePlan.MaxBackwardHeadDim +
                             " divisible by 8, not " + unsupported.HeadDim + ".";
            foreach (var (suffix, summary) in new[] { ("ForwardCudaBf16", forward), ("BackwardCudaBf16", backward) })
            {
                writer.Line("/// <summary>" + graph.Name + ": " + summary + ".</summary>");
                using (writer.Block("public static void " + graph.Name + suffix + "(in global::DinoCompiled.Compiled.SegmentBuffers b, global::DinoCompiled.Cuda.CudaOps ops)"))
                    writer.Line("throw new global::System.NotSupportedException(\"" + message + "\");");
                writer.Line();
            }
            return message;
        }
        emitter.Method("ForwardCudaBf16", graph.Forward, forward, n => emitter.Announced(n, emitter.Bf16Calls(n)), emitter.InputCopyPrologue());
        writer.Line();
        emitter.Method("BackwardCudaBf16", graph.Backward, backward, n => emitter.Announced(n, emitter.Bf16BackwardCalls(n)));
        writer.Line();
        return null;
    }

    /// <summary>The conversions of external fp32 inputs that a GEMM reads into their bf16 arena copies.</summary>
    private List<string> InputCopyPrologue() => Checked(_gpu!.InputCopies.Select(c =>
        "ops.Launch(CudaKernel.dino_convert_f32_to_bf16, CudaBlocks(" + ScheduleEmitter.Count(c.Key) + " / 4), 1, 256, 0, " + Args + ".Ptr(" + c.Key.External + ").Ptr(" +
        GpuTensor(c.Value) + ").Long(" + ScheduleEmitter.Count(c.Key) + "));  // " + c.Value.Name + " <- bf16(" + c.Key.Name + ")").ToList());

    private List<string> Bf16BackwardCalls(GraphNode n)
    {
        var gpu = _gpu!;
        string rows = "u * " + n.Rows;
        string acc = n.Accumulate ? "1" : "0";
        // A backward node reads the recomputed GELU output and the bf16 copy of an external input where the forward had the originals.
        GraphTensor Map(GraphTensor t) => gpu.Recomputed.TryGetValue(t.Storage, out var r) ? r : gpu.InputCopies.TryGetValue(t.Storage, out var c) ? c : t;
        string In(int i) => T(Map(n.Inputs[i]));
        string Out(int i = 0) => T(n.Outputs[i]);
        bool IsBf16(GraphTensor t) => gpu.IsBf16(Map(t));
        string Drop() => n.DropSlot < 0 ? "default" : "b.Drop(" + n.DropSlot + ")";
        var calls = new List<string>();
        void Launch(string kernel, string gridX, string gridY, int block, string args) =>
            calls.Add("ops.Launch(CudaKernel." + kernel + ", " + gridX + ", " + gridY + ", " + block + ", 0, " + Args + args + ");");
        void Stream(string kernel, string items, string args) => Launch(kernel, "CudaBlocks(" + items + ")", "1", 256, args);
        void RowLaunch(string kernel, string args) => Launch(kernel, "CudaRowBlocks(" + rows + ")", "1", 256, args);
        string Bf16Operand(int i)
        {
            if (!IsBf16(n.Inputs[i])) throw new InvalidOperationException(n.Op + " in " + n.Layer + ": its GEMM operand " + n.Inputs[i].Name + " is not bf16 in the GPU plan.");
            return In(i);
        }
        void Gemm(string types, string m, int nn, object k, string a, int lda, bool ta, string bm, int ldb, bool tb, string c, int ldc, string beta) =>
            calls.Add("ops.TypedGemm(" + Types + types + ", " + m + ", " + nn + ", " + k + ", " + a + ", " + lda + ", " + B(ta) + ", " + bm + ", " + ldb + ", " + B(tb) + ", " +
                      c + ", " + ldc + ", " + beta + ", default);");

        // The GELU output fc2's weight gradient reads, recomputed from the kept pre-activation (docs/BF16.md).
        foreach (var input in n.Inputs.Where(t => gpu.Recomputed.ContainsKey(t.Storage) && _recomputedDone.Add(t.Storage)))
        {
            var pre = _graph.Forward.Single(f => f.Op == OpKind.LinearGelu && f.Outputs[0].Storage == input.Storage).PreActivation!;
            string count = ScheduleEmitter.Count(input.Storage);
            calls.Add(NodeCall + gpu.RecomputeIndex[input.Storage].ToString(CultureInfo.InvariantCulture) + ");");
            calls.Add("ops.Launch(CudaKernel.dino_gelu_bf16, CudaBlocks(" + count + " / 4), 1, 256, 0, " + Args + ".Ptr(" + T(pre) + ").Ptr(" + T(Map(input)) + ").Long(" + count +
                      "));  // " + gpu.Recomputed[input.Storage].Name + " <- GELU(" + pre.Name + ")");
            calls.Add(NodeCall + gpu.NodeIndex[n].ToString(CultureInfo.InvariantCulture) + ");");
        }

        switch (n.Op)
        {
            case OpKind.LinearInputGrad:
            case OpKind.MatMulInputGrad:
            {
                // dX = dY · W; bf16 when it is the next GEMM's operand, fp32 (β = accumulate) when it accumulates or leaves the segment.
                bool bf16Out = IsBf16(n.Outputs[0]);
                if (bf16Out && n.Accumulate) throw new InvalidOperationException(n.Op + " in " + n.Layer + " accumulates into a bf16 tensor.");
                Gemm(bf16Out ? "Bf16ToBf16" : "Bf16ToFloat32", rows, n.In, n.Out, Bf16Operand(0), n.Out, false, Operand(n.Inputs[1]), n.In, false, Out(), n.In, n.Accumulate ? "1f" : "0f");
                break;
            }
            case OpKind.LinearInputGradGelu:
            {
                var pre = n.PreActivation ?? throw new InvalidOperationException("LinearInputGradGelu in " + n.Layer + " has no pre-activation.");
                if (!IsBf16(n.Outputs[0]) || n.Accumulate) throw new InvalidOperationException("LinearInputGradGelu in " + n.Layer + " must write a bf16 gradient it does not accumulate.");
                Gemm("Bf16ToBf16", rows, n.In, n.Out, Bf16Operand(0), n.Out, false, Operand(n.Inputs[1]), n.In, false, Out(), n.In, "0f");
                string count = "(long)" + rows + " * " + n.In;
                if (gpu.FusedRecompute.TryGetValue(n, out var act))
                {
                    // The GELU derivative and the GELU output fc2's weight gradient reads, in one pass over the pre-activation.
                    _recomputedDone.Add(act);
                    Stream("dino_gelu_grad_recompute_bf16", count + " / 4",
                        ".Ptr(" + Out() + ").Ptr(" + T(pre) + ").Ptr(" + Out() + ").Ptr(" + T(gpu.Recomputed[act]) + ").Long(" + count + ")");
                }
                else Stream("dino_gelu_grad_bf16", count + " / 4", ".Ptr(" + Out() + ").Ptr(" + T(pre) + ").Ptr(" + Out() + ").Long(" + count + ")");
                break;
            }
            case OpKind.LinearWeightGrad:
            case OpKind.MatMulWeightGrad:
                // dW = dYᵀ · X into the fp32 gradient (the flat buffer with β = 1, or the last layer's fixed arena slot).
                Gemm("Bf16ToFloat32", n.Out.ToString(CultureInfo.InvariantCulture), n.In, rows, Bf16Operand(0), n.Out, true, Bf16Operand(1), n.In, false, Out(), n.In,
                    n.Op == OpKind.LinearWeightGrad || n.Accumulate ? "1f" : "0f");
                break;
            case OpKind.BiasGrad when IsBf16(n.Inputs[0]):
                calls.Add("uint chunks = CudaChunks(" + rows + ", 64);");
                Launch("dino_bias_grad_bf16", Blocks(n.Out, 32), "chunks", 256, ".Ptr(" + In(0) + ").Int(" + rows + ").Int(" + n.Out + ")");
                Launch("dino_reduce_partials", Blocks(n.Out, 256), "1", 256, ".Int((int)chunks).Int(" + n.Out + ").Ptr(" + Out() + ").Ptr(default)");
                break;
            case OpKind.LayerNormGrad when IsBf16(n.Inputs[0]):
            {
                if (IsBf16(n.Inputs[1]) || IsBf16(n.Outputs[0])) throw new InvalidOperationException("LayerNormGrad in " + n.Layer + " must read and write the fp32 residual stream.");
                calls.Add("uint chunks = CudaChunks(" + rows + ", 32);");
                string args = ".Ptr(" + In(0) + ").Ptr(" + In(1) + ").Ptr(" + In(2) + ").Ptr(" + In(3) + ").Ptr(" + In(4) + ").Ptr(" + Out(0) + ").Int(" + rows + ").Int(" + acc + ")";
                if (gpu.FusedScale.TryGetValue(n, out var scale))
                {
                    // Also the drop-path branch gradient of the block below (the ScaleRows after this node), from the dx it stores.
                    if (!IsBf16(scale.Outputs[0])) throw new InvalidOperationException("ScaleRows in " + scale.Layer + " must write a bf16 branch gradient.");
                    Launch("dino_layernorm_grad_scale_bf16", "chunks", "1", 256, args + ".Ptr(" + (scale.DropSlot < 0 ? "default" : "b.Drop(" + scale.DropSlot + ")") + ").Int(" +
                                                                              scale.Rows + ").Ptr(" + T(scale.Outputs[0]) + ")");
                }
                else Launch("dino_layernorm_grad_bf16", "chunks", "1", 256, args);
                Launch("dino_reduce_partials", Blocks(2 * n.Out, 256), "1", 256, ".Int((int)chunks).Int(" + n.Out + ").Ptr(" + Out(1) + ").Ptr(" + Out(2) + ")");
                break;
            }
            case OpKind.ScaleRows when gpu.FusedScale.Values.Contains(n):
                return calls; // done by the LayerNormGrad before it
            case OpKind.ScaleRows:
                Stream("dino_scale_rows_bf16", "(long)" + rows + " * " + (n.Out / 4),
                    ".Ptr(" + In(0) + ").Ptr(" + Drop() + ").Int(" + n.Rows + ").Ptr(" + Out() + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.GeluGrad:
                Stream("dino_gelu_grad_bf16", "(long)" + rows + " * " + n.Out + " / 4", ".Ptr(" + Bf16Operand(0) + ").Ptr(" + Bf16Operand(1) + ").Ptr(" + Out() + ").Long((long)" + rows + " * " + n.Out + ")");
                break;
            case OpKind.AttentionGrad:
            {
                var plan = FlashTilePlan.TryCreate(n.Rows, n.HeadDim)!;
                var lse = n.Inputs[2].Storage;
                var output = _graph.Forward.Single(f => f.Op == OpKind.Attention && f.Outputs[1].Storage == lse).Outputs[0];
                string delta = T(gpu.FlashDelta[lse]);
                string name = CudaSourceEmitter.FlashKernel(n.Rows, n.HeadDim);
                string heads = "(uint)(u * " + n.Heads + ")";
                string deltaRows = "u * " + (n.Heads * n.Rows);
                Launch(name.Replace("attention", "attention_delta"), "(uint)((" + deltaRows + " + 7) / 8)", "1", 256,
                    ".Ptr(" + T(output) + ").Ptr(" + Bf16Operand(0) + ").Ptr(" + delta + ").Int(" + deltaRows + ")");
                string args = ".Ptr(" + Bf16Operand(1) + ").Ptr(" + In(0) + ").Ptr(" + T(lse) + ").Ptr(" + delta + ").Ptr(" + Out() + ")";
                string blocks = plan.QueryBlocks.ToString(CultureInfo.InvariantCulture);
                Launch(name.Replace("attention", "attention_grad_dkv"), blocks, heads, plan.Threads, args);
                Launch(name.Replace("attention", "attention_grad_dq"), blocks, heads, plan.Threads, args);
                break;
            }
            case OpKind.AssembleTokensGrad:
                RequireFp32(n.Inputs[0]);
                Launch("dino_assemble_tokens_grad_bf16", Blocks((n.Rows + 1) * n.In, 256), "1", 256,
                    ".Ptr(" + In(0) + ").Ptr(" + Out(0) + ").Ptr(" + Out(1) + ").Ptr(" + Out(2) + ").Ptr(" + Out(3) + ").Int(u).Int(" + n.Rows + ")");
                break;
            case OpKind.L2NormalizeGrad:
                RowLaunch("dino_l2_normalize_grad_bf16", ".Ptr(" + Bf16Operand(0) + ").Ptr(" + Bf16Operand(1) + ").Ptr(" + In(2) + ").Ptr(" + Out() + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.BiasGrad:
            case OpKind.LayerNormGrad:
            case OpKind.ScatterClass:
            case OpKind.ResizePositionsGrad:
            case OpKind.WeightNormGrad:
            case OpKind.Accumulate:
            case OpKind.Clear:
                // fp32 in and out (the residual stream's gradient, the final norm's fp32 features gradient, the last layer's dW): the fp32 kernels.
                foreach (var t in n.Inputs.Concat(n.Outputs)) RequireFp32(t);
                return Calls(n);
            default:
                throw new InvalidOperationException("No bf16 CUDA emitter for " + n.Op + ".");
        }
        return Checked(calls);

        void RequireFp32(GraphTensor t)
        {
            if (IsBf16(t)) throw new InvalidOperationException(n.Op + " in " + n.Layer + " is an fp32 kernel but " + t.Name + " is bf16 in the GPU plan.");
        }
    }
}
