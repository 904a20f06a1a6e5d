using System.Collections.Generic;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Where a segment's forward-only bf16 schedule (the teacher's: it keeps nothing for a backward) puts each arena tensor:
/// byte offsets under the GPU storage rules of <see cref="GpuSegmentPlanner"/>, the arena's fixed bytes and bytes per
/// unit, and the bf16 copies of external fp32 inputs that a GEMM reads as its operand (the head's features).
/// </summary>
internal sealed class GpuForwardPlan
{
    public GpuForwardPlan(long fixedBytes, long bytesPerUnit, IReadOnlyDictionary<GraphTensor, long> offsets, IReadOnlyDictionary<GraphTensor, int> bytesPerElement,
        IReadOnlyDictionary<GraphTensor, GraphTensor> inputCopies)
    {
        FixedBytes = fixedBytes;
        BytesPerUnit = bytesPerUnit;
        Offsets = offsets;
        BytesPerElement = bytesPerElement;
        InputCopies = inputCopies;
    }

    public long FixedBytes { get; }

    public long BytesPerUnit { get; }

    /// <summary>Byte offset of each arena storage: from the arena's start if fixed, else within the per-unit part (times the units).</summary>
    public IReadOnlyDictionary<GraphTensor, long> Offsets { get; }

    /// <summary>2 (bf16) or 4 (fp32) for each arena storage.</summary>
    public IReadOnlyDictionary<GraphTensor, int> BytesPerElement { get; }

    /// <summary>For an external fp32 tensor read as a GEMM operand: the arena tensor holding its bf16 copy.</summary>
    public IReadOnlyDictionary<GraphTensor, GraphTensor> InputCopies { get; }

    /// <summary>Whether an arena tensor is stored as bf16.</summary>
    public bool IsBf16(GraphTensor tensor) => tensor.Storage.Role == TensorRole.Arena && BytesPerElement.TryGetValue(tensor.Storage, out int b) && b == 2;
}
