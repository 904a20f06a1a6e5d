using System;
using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// The GPU plan of one segment, from the same graph as the CPU's: the bytes of its arena under the bf16 storage rules of
/// docs/BF16.md (for the training step, forward + backward, and for the teacher's forward alone), and, per node, the
/// work the performance model prices: FLOPs on tensor cores or CUDA cores, and bytes moved, per unit and fixed.
/// <para>
/// Storage: the residual stream (the patch embedding's output included) and its gradient, LayerNorm mean and rstd, the
/// L2 and weight norms, the logits and every accumulated gradient are fp32; every other activation (LayerNorm outputs, GEMM
/// outputs and GELU pre-activations, attention outputs, im2col, the gradients that are GEMM operands) is bf16. Flash
/// attention keeps the log-sum-exp per row (fp32, heads x tokens) instead of the T x T probabilities. The
/// teacher's forward keeps a tensor only while a later forward node reads it. The GELU output of fc1 is recomputed in
/// the backward from its pre-activation (one elementwise pass, priced as its own node) instead of being kept.
/// </para>
/// </summary>
internal static class GpuSegmentPlanner
{
    private const int Bf16 = 2, Fp32 = 4, AlignmentBytes = 64;

    public static GpuSegmentPlan Plan(Graph graph, int crop)
    {
        var (training, nodes) = Training(graph);
        var forward = PlanForward(graph);
        return new GpuSegmentPlan(graph.Name, crop, training.FixedBytes, training.BytesPerUnit, forward.FixedBytes, forward.BytesPerUnit, nodes);
    }

    /// <summary>
    /// The training plan with its offsets: the forward keeps what the backward reads, except the GELU outputs of fused
    /// fc1s, which the backward recomputes; flash attention's backward also reads the attention output and writes a
    /// per-row delta scratch; the head's external fp32 features get a bf16 copy, kept for their weight gradient.
    /// </summary>
    public static GpuArenaPlan PlanTraining(Graph graph) => Training(graph).Plan;

    private static (GpuArenaPlan Plan, List<GpuNodeCost> Nodes) Training(Graph graph)
    {
        var logSumExp = LogSumExp(graph);
        var bytesPerElement = StorageBytes(graph);
        // The logits' gradient comes from dino_loss_student_bf16: bf16, the last layer's GEMM operand.
        foreach (var t in graph.Backward.SelectMany(n => n.Inputs).Where(t => graph.Name == "Head" && t.Storage.External == "b.OutputGradient"))
            bytesPerElement[t.Storage] = Bf16;
        var copies = ExternalCopies(graph, bytesPerElement);
        var branches = ResidualBranches(graph, bytesPerElement);
        long Elements(GraphTensor t) => logSumExp.Contains(t.Storage) ? t.Storage.RowsPerUnit : t.Storage.CountPerUnit;
        int Bytes(GraphTensor t) => bytesPerElement.TryGetValue(t.Storage, out int b) ? b : Fp32;

        // GELU recomputation (as llm.c does): the GELU output of each fused fc1 is not kept for the backward; right
        // before its first backward reader (fc2's weight gradient) one pass recomputes it from the kept pre-activation
        // into a transient of the same shape, which dies at that reader.
        var recomputed = new Dictionary<GraphTensor, GraphTensor>();
        var recomputedFrom = new Dictionary<GraphTensor, (GraphTensor PreActivation, string Layer)>();
        foreach (var n in graph.Forward.Where(n => n.Op == OpKind.LinearGelu && n.PreActivation is not null))
        {
            var a = n.Outputs[0].Storage;
            var copy = new GraphTensor(-1 - recomputed.Count, a.Name + ".recomputed", TensorRole.Arena, a.RowsPerUnit, a.Cols);
            recomputed[a] = copy;
            recomputedFrom[a] = (n.PreActivation!.Storage, n.Layer);
            bytesPerElement[copy] = Bf16;
        }
        // Flash attention's backward reads the forward's output (delta = rowsum(dO · O)) and writes delta first.
        var attentionOutputs = new Dictionary<GraphTensor, GraphTensor>();
        var flashDelta = new Dictionary<GraphTensor, GraphTensor>();
        foreach (var n in graph.Forward.Where(n => n.Op == OpKind.Attention))
        {
            var lse = n.Outputs[1].Storage;
            attentionOutputs[lse] = n.Outputs[0].Storage;
            flashDelta[lse] = new GraphTensor(-3000 - flashDelta.Count, lse.Name + ".delta", TensorRole.Arena, lse.RowsPerUnit, 1);
        }
        GraphTensor Forward(GraphTensor t) => copies.TryGetValue(t.Storage, out var c) ? c : t;

        var steps = new List<IReadOnlyList<GraphTensor>> { copies.Values.ToList() };
        steps.AddRange(graph.Forward.Select(n => ForwardStep(n, copies, branches)));
        var nodes = graph.Forward.Select(n => Cost(n, true, Bytes, Elements)).ToList();
        var nodeIndex = ForwardIndex(graph);
        var recomputeIndex = new Dictionary<GraphTensor, int>();
        var done = new HashSet<GraphTensor>();
        // Fusions beyond the CPU's (docs/BF16.md): a LayerNormGrad also writes the drop-path branch gradient that the
        // ScaleRows right after it would make from its output; fc1's GELU derivative pass also recomputes the GELU output
        // fc2's weight gradient reads. The fused node's step touches the extra output, so the plan keeps it apart.
        var fusedScale = new Dictionary<GraphNode, GraphNode>();
        var fusedRecompute = new Dictionary<GraphNode, GraphTensor>();
        var backward = graph.Backward;
        for (int i = 0; i < backward.Count; i++)
        {
            var n = backward[i];
            if (i > 0 && fusedScale.TryGetValue(backward[i - 1], out var fusedAway) && fusedAway == n) continue;
            var touched = MemoryPlanner.Touched(n).Select(t => recomputed.TryGetValue(t.Storage, out var r) ? r : Forward(t)).ToList();
            var extra = new List<GraphTensor>();
            if (n.Op == OpKind.AttentionGrad)
            {
                var lse = n.Inputs[2].Storage;
                extra.Add(attentionOutputs[lse]);
                extra.Add(flashDelta[lse]);
            }
            if (n.Op == OpKind.LayerNormGrad && Bytes(n.Inputs[0]) == Bf16 && i + 1 < backward.Count && backward[i + 1] is { Op: OpKind.ScaleRows } next &&
                next.Inputs[0].Storage == n.Outputs[0].Storage)
            {
                fusedScale[n] = next;
                extra.Add(next.Outputs[0]);
            }
            if (n.Op == OpKind.LinearInputGradGelu && n.PreActivation is not null)
            {
                var act = recomputedFrom.Where(r => r.Value.PreActivation == n.PreActivation.Storage).Select(r => r.Key).FirstOrDefault();
                if (act is not null && done.Add(act))
                {
                    fusedRecompute[n] = act;
                    extra.Add(recomputed[act]);
                }
            }
            touched.AddRange(extra);
            foreach (var t in n.Inputs.Select(t => t.Storage).Where(recomputed.ContainsKey).Where(done.Add).ToList())
            {
                var copy = recomputed[t];
                var (pre, layer) = recomputedFrom[t];
                steps.Add(new[] { pre, copy });
                recomputeIndex[t] = nodes.Count;
                nodes.Add(new GpuNodeCost("GeluRecompute", layer, false, 0, 8 * copy.CountPerUnit, copy.CountPerUnit * (Bf16 + Bf16), 0));
            }
            steps.Add(touched);
            nodeIndex[n] = nodes.Count;
            nodes.Add(Cost(n, false, Bytes, Elements, extra));
        }
        var (fixedBytes, perUnit, offsets) = MemoryPlanner.Place(steps, t => Align(Elements(t) * Bytes(t)), t => Align(t.FixedCount * Bytes(t)), largestFixedFirst: true);
        return (new GpuArenaPlan(fixedBytes, perUnit, offsets, bytesPerElement, copies, branches, nodeIndex, recomputed, flashDelta, fusedScale, fusedRecompute, recomputeIndex), nodes);
    }

    /// <summary>
    /// The forward-only plan with its offsets: a tensor lives only while a later forward node reads it, and an external
    /// fp32 input that a GEMM reads as its left operand gets a bf16 copy, written first.
    /// </summary>
    public static GpuArenaPlan PlanForward(Graph graph)
    {
        var logSumExp = LogSumExp(graph);
        var bytesPerElement = StorageBytes(graph);
        var copies = ExternalCopies(graph, bytesPerElement);
        var branches = ResidualBranches(graph, bytesPerElement);
        var steps = new List<IReadOnlyList<GraphTensor>> { copies.Values.ToList() };
        steps.AddRange(graph.Forward.Select(n => ForwardStep(n, copies, branches)));
        long Elements(GraphTensor t) => logSumExp.Contains(t.Storage) ? t.Storage.RowsPerUnit : t.Storage.CountPerUnit;
        int Bytes(GraphTensor t) => bytesPerElement.TryGetValue(t.Storage, out int b) ? b : Fp32;
        var (fixedBytes, perUnit, offsets) = MemoryPlanner.Place(steps, t => Align(Elements(t) * Bytes(t)), t => Align(t.FixedCount * Bytes(t)), largestFixedFirst: true);
        return new GpuArenaPlan(fixedBytes, perUnit, offsets, bytesPerElement, copies, branches, ForwardIndex(graph));
    }

    /// <summary>
    /// The bf16 GEMM output of every LinearResidual (its branch, before the bias and the drop-path scale): the generated
    /// residual add reads it with the fp32 bias and residual and writes the fp32 stream, so the GEMM writes 2 bytes
    /// per value instead of 4 that the add would read back. A transient of the node's own step.
    /// </summary>
    private static Dictionary<GraphNode, GraphTensor> ResidualBranches(Graph graph, Dictionary<GraphTensor, int> bytesPerElement)
    {
        var branches = new Dictionary<GraphNode, GraphTensor>();
        foreach (var n in graph.Forward.Where(n => n.Op == OpKind.LinearResidual))
        {
            var output = n.Outputs[0].Storage;
            var branch = new GraphTensor(-4000 - branches.Count, output.Name + ".branch", TensorRole.Arena, output.RowsPerUnit, output.Cols, output.FixedCount);
            branches[n] = branch;
            bytesPerElement[branch] = Bf16;
        }
        return branches;
    }

    /// <summary>A bf16 arena copy of every external fp32 input a forward GEMM reads as its left operand.</summary>
    private static Dictionary<GraphTensor, GraphTensor> ExternalCopies(Graph graph, Dictionary<GraphTensor, int> bytesPerElement)
    {
        var copies = new Dictionary<GraphTensor, GraphTensor>();
        foreach (var n in graph.Forward.Where(IsGemm))
        {
            var a = n.Inputs[0].Storage;
            if (a.Role != TensorRole.External || copies.ContainsKey(a)) continue;
            var copy = new GraphTensor(-1000 - copies.Count, a.Name + ".bf16", TensorRole.Arena, a.RowsPerUnit, a.Cols, a.FixedCount);
            copies[a] = copy;
            bytesPerElement[copy] = Bf16;
        }
        return copies;
    }

    /// <summary>What a forward node's step touches: its tensors (an external GEMM operand as its bf16 copy) and its residual branch.</summary>
    private static List<GraphTensor> ForwardStep(GraphNode n, Dictionary<GraphTensor, GraphTensor> copies, Dictionary<GraphNode, GraphTensor> branches)
    {
        var touched = MemoryPlanner.Touched(n).Select(t => copies.TryGetValue(t.Storage, out var c) ? c : t).ToList();
        if (branches.TryGetValue(n, out var branch)) touched.Add(branch);
        return touched;
    }

    /// <summary>Each forward node's position in the plan's node list (the forward comes first, in order).</summary>
    private static Dictionary<GraphNode, int> ForwardIndex(Graph graph) => graph.Forward.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);

    private static bool IsGemm(GraphNode n) => n.Op is OpKind.Linear or OpKind.LinearGelu or OpKind.LinearResidual or OpKind.MatMul;

    // Flash attention's second output: the log-sum-exp per (head, row) instead of the probabilities.
    private static HashSet<GraphTensor> LogSumExp(Graph graph) =>
        new(graph.Forward.Where(n => n.Op == OpKind.Attention).Select(n => n.Outputs[1].Storage));

    /// <summary>2 or 4 bytes for every arena storage some node writes (the larger where two nodes disagree).</summary>
    private static Dictionary<GraphTensor, int> StorageBytes(Graph graph)
    {
        var bytesPerElement = new Dictionary<GraphTensor, int>();
        foreach (var node in graph.Forward.Concat(graph.Backward))
            foreach (var (tensor, bytes) in OutputStorage(node))
                if (tensor.Storage.Role == TensorRole.Arena) bytesPerElement[tensor.Storage] = Math.Max(bytesPerElement.TryGetValue(tensor.Storage, out int b) ? b : 0, bytes);
        // The patch embedding's output feeds the fp32 residual stream through AssembleTokens, an fp32 kernel.
        foreach (var n in graph.Forward.Where(n => n.Op == OpKind.AssembleTokens))
            if (n.Inputs[0].Storage.Role == TensorRole.Arena) bytesPerElement[n.Inputs[0].Storage] = Fp32;
        return bytesPerElement;
    }

    /// <summary>What each output of a node is stored as.</summary>
    private static IEnumerable<(GraphTensor Tensor, int Bytes)> OutputStorage(GraphNode n)
    {
        switch (n.Op)
        {
            case OpKind.Im2Col:
            case OpKind.Linear:
            case OpKind.Gelu:
            case OpKind.GeluGrad:
            case OpKind.LinearInputGradGelu:
            case OpKind.AttentionGrad:
                foreach (var t in n.Outputs) yield return (t, Bf16);
                break;
            case OpKind.LinearGelu:
                foreach (var t in n.Outputs) yield return (t, Bf16);
                if (n.PreActivation is not null) yield return (n.PreActivation, Bf16);
                break;
            case OpKind.LinearInputGrad:
            case OpKind.MatMulInputGrad:
                foreach (var t in n.Outputs) yield return (t, n.Accumulate ? Fp32 : Bf16);
                break;
            case OpKind.ScaleRows:
            case OpKind.L2NormalizeGrad:
                // The branch gradient (drop path's s·dy) and the bottleneck's gradient are the next GEMM's operand.
                yield return (n.Outputs[0], Bf16);
                break;
            case OpKind.AssembleTokensGrad:
                // The patch tokens' gradient feeds the patch embedding's weight-gradient GEMM; the rest are parameter gradients.
                yield return (n.Outputs[0], Bf16);
                for (int i = 1; i < n.Outputs.Count; i++) yield return (n.Outputs[i], Fp32);
                break;
            case OpKind.LayerNorm:
                yield return (n.Outputs[0], Bf16);
                for (int i = 1; i < n.Outputs.Count; i++) yield return (n.Outputs[i], Fp32);
                break;
            case OpKind.Attention:
                yield return (n.Outputs[0], Bf16);
                yield return (n.Outputs[1], Fp32); // the log-sum-exp
                break;
            case OpKind.L2Normalize:
            case OpKind.WeightNorm:
                // The logits GEMM's two bf16 operands; the norms stay fp32.
                yield return (n.Outputs[0], Bf16);
                for (int i = 1; i < n.Outputs.Count; i++) yield return (n.Outputs[i], Fp32);
                break;
            default:
                foreach (var t in n.Outputs) yield return (t, Fp32);
                break;
        }
    }

    private static GpuNodeCost Cost(GraphNode n, bool forward, Func<GraphTensor, int> bytes, Func<GraphTensor, long> elements, IEnumerable<GraphTensor>? extra = null)
    {
        long rows = n.Rows;
        long perUnit = 0, fixedBytes = 0;
        foreach (var t in n.Inputs.Concat(n.Outputs).Concat(Epilogue(n)).Concat(extra ?? Enumerable.Empty<GraphTensor>()))
        {
            var s = t.Storage;
            int size = s.Role is TensorRole.Arena or TensorRole.External ? bytes(s) : s.Role == TensorRole.ParameterGradient ? Fp32 : s.Role == TensorRole.Parameter ? Bf16 : Fp32;
            if (s.IsFixed) fixedBytes += s.FixedCount * size;
            else perUnit += elements(s) * size;
        }
        // Accumulated outputs are read as well as written.
        foreach (var t in n.Outputs)
            if (t.Storage.Role == TensorRole.ParameterGradient || n.Accumulate)
            {
                if (t.Storage.IsFixed) fixedBytes += t.Storage.FixedCount * Fp32;
                else perUnit += elements(t.Storage) * Fp32;
            }

        // What the bf16 schedule launches for the node, and the traffic between its launches: the GEMM's output re-read by
        // the generated epilogue that follows it (GELU, the residual add with drop path, the GELU derivative).
        int launches = 1;
        long Out(GraphTensor t, int size) => t.Storage.IsFixed ? 0 : elements(t.Storage) * size;
        switch (n.Op)
        {
            case OpKind.LinearGelu:
                launches = 2;
                perUnit += Out(n.PreActivation ?? n.Outputs[0], Bf16);
                break;
            case OpKind.LinearResidual:
                launches = 2;
                perUnit += 2 * Out(n.Outputs[0], Bf16); // the bf16 branch, written by the GEMM and read by the residual add
                break;
            case OpKind.LinearInputGradGelu:
                launches = 2;
                perUnit += 2 * Out(n.Outputs[0], Bf16);
                break;
            case OpKind.BiasGrad:
            case OpKind.LayerNormGrad:
                launches = 2; // the chunk partials, then dino_reduce_partials
                break;
            case OpKind.AttentionGrad:
                launches = 3; // delta, dK and dV, dQ
                break;
        }

        long tensorFlops = 0, otherFlops = 0;
        switch (n.Op)
        {
            case OpKind.Linear:
            case OpKind.LinearGelu:
            case OpKind.LinearResidual:
            case OpKind.LinearInputGrad:
            case OpKind.LinearInputGradGelu:
            case OpKind.LinearWeightGrad:
            case OpKind.MatMul:
            case OpKind.MatMulInputGrad:
            case OpKind.MatMulWeightGrad:
                tensorFlops = 2 * rows * n.In * n.Out;
                break;
            case OpKind.Attention:
                tensorFlops = 4L * n.Heads * rows * rows * n.HeadDim; // Q Kᵀ and P V
                break;
            case OpKind.AttentionGrad:
                tensorFlops = 10L * n.Heads * rows * rows * n.HeadDim; // S again, dV, dP, dQ, dK (FlashAttention-2)
                break;
            default:
                // Elementwise and row kernels: a few operations per element they write; memory decides their time.
                otherFlops = 8 * n.Outputs.Sum(t => t.Storage.IsFixed ? 0 : elements(t.Storage));
                break;
        }
        return new GpuNodeCost(n.Op.ToString(), n.Layer, forward, tensorFlops, otherFlops, perUnit, fixedBytes, launches);
    }

    private static IEnumerable<GraphTensor> Epilogue(GraphNode n)
    {
        if (n.EpilogueInput is not null) yield return n.EpilogueInput;
        if (n.PreActivation is not null) yield return n.PreActivation;
    }

    private static long Align(long bytes) => (bytes + AlignmentBytes - 1) / AlignmentBytes * AlignmentBytes;
}
