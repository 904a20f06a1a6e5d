namespace DinoCompiled.Cuda;

/// <summary>
/// The work of one node of a generated GPU schedule, as the generator planned it (bf16 storage, flash attention):
/// FLOPs on tensor cores and on CUDA cores and bytes moved, per unit of the batch and fixed (weights, their gradients).
/// </summary>
/// <param name="Op">The node's op (<c>Linear</c>, <c>Attention</c>, <c>LayerNormGrad</c>, ...).</param>
/// <param name="Layer">The layer it belongs to (<c>blocks.3</c>, <c>head.mlp</c>).</param>
/// <param name="Forward">Whether it is in the forward (the teacher runs only these).</param>
/// <param name="TensorFlopsPerUnit">Matrix-product FLOPs (2 per multiply-add) per unit, on tensor cores.</param>
/// <param name="OtherFlopsPerUnit">Other arithmetic per unit, on CUDA cores.</param>
/// <param name="BytesPerUnit">Bytes read and written per unit.</param>
/// <param name="FixedBytes">Bytes read and written once per launch whatever the batch.</param>
/// <param name="Launches">Kernel launches the bf16 schedule makes for the node (a GEMM and its generated epilogue: 2).</param>
public sealed record GpuNodeCost(string Op, string Layer, bool Forward, long TensorFlopsPerUnit, long OtherFlopsPerUnit, long BytesPerUnit, long FixedBytes, int Launches = 1);
