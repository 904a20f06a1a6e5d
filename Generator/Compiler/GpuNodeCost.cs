namespace DinoCompiled.Generator.Compiler;

/// <summary>The work of one node of a GPU schedule: FLOPs on tensor cores and on CUDA cores, bytes moved, per unit and fixed.</summary>
internal sealed record GpuNodeCost(string Op, string Layer, bool Forward, long TensorFlopsPerUnit, long OtherFlopsPerUnit, long BytesPerUnit, long FixedBytes);
