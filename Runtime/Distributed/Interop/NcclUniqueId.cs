using System;
using System.Runtime.InteropServices;

namespace DinoCompiled.Distributed.Interop;

/// <summary>
/// nccl.h's <c>ncclUniqueId</c>: <c>struct { char internal[NCCL_UNIQUE_ID_BYTES]; }</c> with NCCL_UNIQUE_ID_BYTES = 128.
/// Rank 0 makes one (<c>ncclGetUniqueId</c>), MPI broadcasts its bytes, and every rank passes it by value to
/// <c>ncclCommInitRank</c>; a fixed buffer keeps it blittable, so it travels by value as the C struct does.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Bytes)]
internal unsafe struct NcclUniqueId
{
    /// <summary>NCCL_UNIQUE_ID_BYTES.</summary>
    public const int Bytes = 128;

    private fixed byte _internal[Bytes];

    /// <summary>The id's bytes, for the broadcast.</summary>
    public Span<byte> AsSpan() => MemoryMarshal.CreateSpan(ref _internal[0], Bytes);
}
