namespace DinoCompiled.Distributed.Interop;

/// <summary>nccl.h's <c>ncclRedOp_t</c> (<c>ncclAvg</c> since 2.10).</summary>
internal enum NcclReduction
{
    Sum = 0,
    Product = 1,
    Max = 2,
    Min = 3,
    Average = 4,
}
