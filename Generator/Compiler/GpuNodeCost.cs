namespace DinoCompiled.Generator.Compiler;

/// <summary>The work of one node of a GPU schedule: FLOPs on tensor cores and on CUDA cores, bytes moved, per unit and fixed; the launches the bf16 schedule makes for it.</summary>
internal sealed record GpuNodeCost(string Op, string Layer, bool Forward, long TensorFlopsPerUnit, long OtherFlopsPerUnit, long BytesPerUnit, long FixedBytes, int Launches = 1);
