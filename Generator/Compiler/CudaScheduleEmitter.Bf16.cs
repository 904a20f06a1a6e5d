using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DinoCompiled.Generator.Cuda;
using DinoCompiled.Generator.Emit;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// The bf16 forward-only schedule (docs/BF16.md): the segment's forward nodes in the CPU's order on the GPU forward plan
/// (<see cref="GpuSegmentPlanner.PlanForward"/>), keeping nothing for a backward, as the teacher runs; the training schedule
/// (CudaScheduleEmitter.Bf16Training.cs) runs the same node calls on the training plan. GEMMs take bf16
/// operands (the bf16 weight copy <c>b.ParametersBf16</c>) and accumulate in fp32; attention is the generated flash
/// kernel; the residual stream, LayerNorm statistics, the features and the logits stay fp32.
/// </summary>
internal sealed partial class CudaScheduleEmitter
{
    private const string Types = "global::DinoCompiled.Cuda.CudaGemmDataTypes.";

    /// <summary>Writes <c>{Segment}ForwardOnlyCudaBf16</c>.</summary>
    public static void EmitForwardOnlyBf16(Graph graph, IndentedWriter writer, CudaSourceEmitter module, int crop, int embedDim)
    {
        var gpu = GpuSegmentPlanner.PlanForward(graph);
        var emitter = new CudaScheduleEmitter(graph, new MemoryPlan(), writer, module, crop, embedDim, gpu);
        string summary = "the forward alone in bf16 (the teacher's): reads b.Input, writes b.Output; the arena holds " +
                         CodeText.Long(gpu.FixedBytes) + " + " + CodeText.Long(gpu.BytesPerUnit) + " bytes per unit";
        var unsupported = graph.Forward.FirstOrDefault(n => n.Op == OpKind.Attention && FlashTilePlan.TryCreate(n.Rows, n.HeadDim) is null);
        if (unsupported is not null)
        {
            writer.Line("/// <summary>" + graph.Name + ": " + summary + ".</summary>");
            using (writer.Block("public static void " + graph.Name + "ForwardOnlyCudaBf16(in global::DinoCompiled.Compiled.SegmentBuffers b, global::DinoCompiled.Cuda.CudaOps ops)"))
                writer.Line("throw new global::System.NotSupportedException(\"The bf16 schedule needs flash attention, which serves head dims up to " + FlashTilePlan.MaxHeadDim +
                            " divisible by 8, not " + unsupported.HeadDim + ".\");");
            return;
        }
        emitter.Method("ForwardOnlyCudaBf16", graph.Forward, summary, n => emitter.Announced(n, emitter.Bf16Calls(n)), emitter.InputCopyPrologue());
    }

    private List<string> Bf16Calls(GraphNode n)
    {
        var gpu = _gpu!;
        string rows = "u * " + n.Rows;
        string Drop() => n.DropSlot < 0 ? "default" : "b.Drop(" + n.DropSlot + ")";
        var calls = new List<string>();
        void Launch(string kernel, string gridX, string gridY, int block, string args) =>
            calls.Add("ops.Launch(CudaKernel." + kernel + ", " + gridX + ", " + gridY + ", " + block + ", 0, " + Args + args + ");");
        void Stream(string kernel, string items, string args) => Launch(kernel, "CudaBlocks(" + items + ")", "1", 256, args);
        void RowLaunch(string kernel, string args) => Launch(kernel, "CudaRowBlocks(" + rows + ")", "1", 256, args);
        // A GEMM of the forward: row-major out[rows x n.Out] = x · Wᵀ (+ bias), bf16 operands, C as the plan stores it.
        string Gemm(GraphTensor x, GraphTensor weight, GraphTensor output, bool bias)
        {
            var a = gpu.InputCopies.TryGetValue(x.Storage, out var copy) ? copy : x;
            if (!gpu.IsBf16(a)) throw new InvalidOperationException(n.Op + " in " + n.Layer + ": its operand " + x.Name + " is not bf16 in the GPU plan.");
            bool bf16Out = gpu.IsBf16(output);
            string types = bf16Out ? "Bf16ToBf16" : "Bf16ToFloat32";
            string biasPointer = !bias ? "default" : bf16Out ? Bf16Parameter(n.Inputs[2]) : T(n.Inputs[2]);
            return "ops.TypedGemm(" + Types + types + ", " + rows + ", " + n.Out + ", " + n.In + ", " + T(a) + ", " + n.In + ", false, " + Operand(weight) + ", " + n.In +
                   ", true, " + T(output) + ", " + n.Out + ", 0f, " + biasPointer + ");";
        }

        switch (n.Op)
        {
            case OpKind.Im2Col:
                Stream("dino_im2col_bf16", "(long)u * " + ((long)n.Channels * n.Size * n.Size), ".Ptr(" + T(n.Inputs[0]) + ").Ptr(" + T(n.Outputs[0]) + ").Int(u).Int(" + n.Size + ")");
                break;
            case OpKind.Linear:
            case OpKind.MatMul:
                calls.Add(Gemm(n.Inputs[0], n.Inputs[1], n.Outputs[0], n.HasBias));
                break;
            case OpKind.LinearGelu:
            {
                var pre = n.PreActivation ?? throw new InvalidOperationException("LinearGelu in " + n.Layer + " has no pre-activation to keep.");
                calls.Add(Gemm(n.Inputs[0], n.Inputs[1], pre, n.HasBias));
                Stream("dino_gelu_bf16", "(long)" + rows + " * " + n.Out + " / 4", ".Ptr(" + T(pre) + ").Ptr(" + T(n.Outputs[0]) + ").Long((long)" + rows + " * " + n.Out + ")");
                break;
            }
            case OpKind.LinearResidual:
            {
                // The GEMM writes the bf16 branch; the residual add reads it with the fp32 bias and residual into the fp32 stream.
                if (gpu.IsBf16(n.Outputs[0])) throw new InvalidOperationException("LinearResidual in " + n.Layer + " must write the fp32 residual stream.");
                var branch = gpu.ResidualBranches[n];
                calls.Add(Gemm(n.Inputs[0], n.Inputs[1], branch, false));
                Stream("dino_residual_add_bf16", "(long)" + rows + " * " + (n.Out / 4),
                    ".Ptr(" + T(n.EpilogueInput!) + ").Ptr(" + T(branch) + ").Ptr(" + (n.HasBias ? T(n.Inputs[2]) : "default") + ").Ptr(" + Drop() + ").Int(" + n.Rows + ").Ptr(" +
                    T(n.Outputs[0]) + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            }
            case OpKind.LayerNorm when gpu.IsBf16(n.Outputs[0]):
                RowLaunch("dino_layernorm_bf16", ".Ptr(" + T(n.Inputs[0]) + ").Ptr(" + T(n.Inputs[1]) + ").Ptr(" + T(n.Inputs[2]) + ").Ptr(" + T(n.Outputs[0]) + ").Ptr(" +
                                                 T(n.Outputs[1]) + ").Ptr(" + T(n.Outputs[2]) + ").Int(" + rows + ")");
                break;
            case OpKind.Attention:
            {
                var plan = FlashTilePlan.TryCreate(n.Rows, n.HeadDim)!;
                Launch(CudaSourceEmitter.FlashKernel(n.Rows, n.HeadDim), plan.QueryBlocks.ToString(CultureInfo.InvariantCulture), "(uint)(u * " + n.Heads + ")", plan.Threads,
                    ".Ptr(" + T(n.Inputs[0]) + ").Ptr(" + T(n.Outputs[0]) + ").Ptr(" + T(n.Outputs[1]) + ")");
                break;
            }
            case OpKind.L2Normalize:
                RowLaunch("dino_l2_normalize_bf16", ".Ptr(" + T(n.Inputs[0]) + ").Ptr(" + T(n.Outputs[0]) + ").Ptr(" + T(n.Outputs[1]) + ").Int(" + rows + ").Int(" + n.Out + ")");
                break;
            case OpKind.WeightNorm:
                Launch("dino_weight_norm_bf16", Blocks(n.Out, 8), "1", 256,
                    ".Ptr(" + T(n.Inputs[0]) + ").Ptr(" + T(n.Inputs[1]) + ").Ptr(" + T(n.Outputs[0]) + ").Ptr(" + T(n.Outputs[1]) + ").Int(" + n.Out + ").Int(" + n.In + ")");
                break;
            case OpKind.AssembleTokens:
            case OpKind.GatherClass:
            case OpKind.ResizePositions:
            case OpKind.LayerNorm:
                // fp32 in and out (the residual stream, positions, the final norm into the fp32 features): the fp32 kernels.
                foreach (var t in n.Inputs.Concat(n.Outputs))
                    if (gpu.IsBf16(t)) throw new InvalidOperationException(n.Op + " in " + n.Layer + " is an fp32 kernel but " + t.Name + " is bf16 in the GPU plan.");
                return Calls(n);
            default:
                throw new InvalidOperationException("No bf16 CUDA emitter for " + n.Op + ".");
        }
        return Checked(calls);
    }

    /// <summary>
    /// A node's calls after <c>ops.Node(index)</c>, its position in the segment's GPU plan, so that a timer can attribute the
    /// launches to the plan's nodes; calls that announce their own nodes first (a GELU recomputation) are left as they are.
    /// </summary>
    private List<string> Announced(GraphNode n, List<string> calls)
    {
        if (calls.Count > 0 && !calls[0].StartsWith(NodeCall, StringComparison.Ordinal)) calls.Insert(0, NodeCall + _gpu!.NodeIndex[n].ToString(CultureInfo.InvariantCulture) + ");");
        return calls;
    }

    /// <summary>A weight read as a GEMM's bf16 operand: the bf16 copy of a parameter, or a bf16 arena tensor (the weight-normalized last layer).</summary>
    private string Operand(GraphTensor weight) => weight.Storage.Role == TensorRole.Parameter ? Bf16Parameter(weight) :
        _gpu!.IsBf16(weight) ? T(weight) : throw new InvalidOperationException(weight.Name + " is a GEMM operand but not bf16 in the GPU plan.");

    private static string Bf16Parameter(GraphTensor parameter)
    {
        long offset = parameter.Storage.ParameterOffset;
        // The bf16 copy has the fp32 buffer's layout in 2-byte values; a Ptr counts 4 bytes, so the offset must be even.
        if (offset % 2 != 0) throw new InvalidOperationException(parameter.Name + " starts at the odd offset " + offset + "; the bf16 copy needs even offsets.");
        return "b.ParametersBf16 + " + CodeText.Long(offset / 2);
    }

    /// <summary>A tensor's address on the GPU forward plan: byte offsets, in the 4-byte units of a Ptr (every slot is 64-byte aligned).</summary>
    private string GpuTensor(GraphTensor tensor)
    {
        var storage = tensor.Storage;
        if (storage.Role != TensorRole.Arena) return ScheduleEmitter.TensorExpression(tensor, _plan);
        long offset = _gpu!.Offsets[storage];
        return storage.IsFixed
            ? "b.Arena + " + CodeText.Long(offset / 4)
            : "b.Arena + " + CodeText.Long(_gpu.FixedBytes / 4) + " + " + CodeText.Long(offset / 4) + "L * u";
    }
}
