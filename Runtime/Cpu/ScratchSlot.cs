namespace DinoCompiled.Cpu;

/// <summary>Names the scratch buffers so that two users never share one by accident.</summary>
internal enum ScratchSlot
{
    /// <summary>Per thread: a GEMM task's accumulator tile (epilogues over several k blocks).</summary>
    GemmAccumulator,

    /// <summary>Per thread: one micro-tile for edge tiles.</summary>
    GemmEdgeTile,

    /// <summary>Shared: packed panels of the GEMM's B operand.</summary>
    GemmPackedB,

    /// <summary>Shared: the transposed product of a GEMM computed as (op(B)^T op(A)^T)^T.</summary>
    GemmTransposedC,

    /// <summary>Per thread: the attention kernels' per-(batch, head) work area.</summary>
    AttentionWork,

    /// <summary>Shared: per-chunk partial sums of a deterministic reduction.</summary>
    ReductionPartials,
}
