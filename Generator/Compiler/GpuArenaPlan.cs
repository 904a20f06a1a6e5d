using System.Collections.Generic;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Where one of a segment's bf16 schedules puts each arena tensor: byte offsets under the GPU storage rules of
/// <see cref="GpuSegmentPlanner"/>, the arena's fixed bytes and bytes per unit, and the tensors the schedule adds to the
/// graph's: bf16 copies of external fp32 inputs that a GEMM reads as its operand (the head's features), the bf16 branch
/// of each LinearResidual, and, for the
/// training schedule, the GELU outputs recomputed in the backward and flash attention's per-row delta scratch.
/// </summary>
internal sealed class GpuArenaPlan
{
    public GpuArenaPlan(long fixedBytes, long bytesPerUnit, IReadOnlyDictionary<GraphTensor, long> offsets, IReadOnlyDictionary<GraphTensor, int> bytesPerElement,
        IReadOnlyDictionary<GraphTensor, GraphTensor> inputCopies, IReadOnlyDictionary<GraphNode, GraphTensor> residualBranches,
        IReadOnlyDictionary<GraphNode, int> nodeIndex, IReadOnlyDictionary<GraphTensor, GraphTensor>? recomputed = null,
        IReadOnlyDictionary<GraphTensor, GraphTensor>? flashDelta = null, IReadOnlyDictionary<GraphNode, GraphNode>? fusedScale = null,
        IReadOnlyDictionary<GraphNode, GraphTensor>? fusedRecompute = null, IReadOnlyDictionary<GraphTensor, int>? recomputeIndex = null)
    {
        NodeIndex = nodeIndex;
        RecomputeIndex = recomputeIndex ?? new Dictionary<GraphTensor, int>();
        FusedScale = fusedScale ?? new Dictionary<GraphNode, GraphNode>();
        FusedRecompute = fusedRecompute ?? new Dictionary<GraphNode, GraphTensor>();
        FixedBytes = fixedBytes;
        BytesPerUnit = bytesPerUnit;
        Offsets = offsets;
        BytesPerElement = bytesPerElement;
        InputCopies = inputCopies;
        ResidualBranches = residualBranches;
        Recomputed = recomputed ?? new Dictionary<GraphTensor, GraphTensor>();
        FlashDelta = flashDelta ?? new Dictionary<GraphTensor, GraphTensor>();
    }

    public long FixedBytes { get; }

    public long BytesPerUnit { get; }

    /// <summary>Byte offset of each arena storage: from the arena's start if fixed, else within the per-unit part (times the units).</summary>
    public IReadOnlyDictionary<GraphTensor, long> Offsets { get; }

    /// <summary>2 (bf16) or 4 (fp32) for each arena storage, and for an external one the schedule reads as bf16 (the logits' gradient).</summary>
    public IReadOnlyDictionary<GraphTensor, int> BytesPerElement { get; }

    /// <summary>For an external fp32 tensor read as a GEMM operand: the arena tensor holding its bf16 copy.</summary>
    public IReadOnlyDictionary<GraphTensor, GraphTensor> InputCopies { get; }

    /// <summary>For a LinearResidual: the bf16 transient its GEMM writes and its residual add reads.</summary>
    public IReadOnlyDictionary<GraphNode, GraphTensor> ResidualBranches { get; }

    /// <summary>For a GELU output that the training schedule does not keep: the transient its backward reader recomputes it into.</summary>
    public IReadOnlyDictionary<GraphTensor, GraphTensor> Recomputed { get; }

    /// <summary>For the log-sum-exp of a flash attention: the fp32 scratch of rowsum(dO · O) its backward writes first.</summary>
    public IReadOnlyDictionary<GraphTensor, GraphTensor> FlashDelta { get; }

    /// <summary>For a LayerNormGrad: the ScaleRows right after it that it performs too (dino_layernorm_grad_scale_bf16).</summary>
    public IReadOnlyDictionary<GraphNode, GraphNode> FusedScale { get; }

    /// <summary>For a LinearInputGradGelu: the GELU output (a key of <see cref="Recomputed"/>) its epilogue recomputes too.</summary>
    public IReadOnlyDictionary<GraphNode, GraphTensor> FusedRecompute { get; }

    /// <summary>Each node's position in the segment's plan nodes (<c>GpuSegmentPlan.Nodes</c>), which the schedule announces with <c>ops.Node</c>.</summary>
    public IReadOnlyDictionary<GraphNode, int> NodeIndex { get; }

    /// <summary>The plan-node position of a GELU recomputation launched on its own (not fused), by the GELU output it recomputes.</summary>
    public IReadOnlyDictionary<GraphTensor, int> RecomputeIndex { get; }

    /// <summary>Whether a tensor is stored as bf16.</summary>
    public bool IsBf16(GraphTensor tensor) => BytesPerElement.TryGetValue(tensor.Storage, out int b) && b == 2;
}
