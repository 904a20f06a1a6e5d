namespace DinoCompiled.Distributed.Interop;

/// <summary>nccl.h's <c>ncclDataType_t</c> (the values the trainer sends; unchanged since NCCL 2.0, bf16 = 9 since 2.10).</summary>
internal enum NcclDataType
{
    Int8 = 0,
    Uint8 = 1,
    Int32 = 2,
    Uint32 = 3,
    Int64 = 4,
    Uint64 = 5,
    Float16 = 6,
    Float32 = 7,
    Float64 = 8,
    BFloat16 = 9,
}
