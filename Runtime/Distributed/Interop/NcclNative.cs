using System.Runtime.InteropServices;
using DinoCompiled.Cuda;

namespace DinoCompiled.Distributed.Interop;

/// <summary>
/// The NCCL entry points (nccl.h, NCCL 2) the GPU ranks call. Every call returns an <c>ncclResult_t</c>; pass it to
/// <see cref="Cuda.Interop.CudaCheck.Nccl"/>. Buffers are device pointers; the stream is the device's CUDA stream;
/// <c>size_t</c> counts are <see cref="nuint"/>, enums travel as their int values.
/// </summary>
internal static unsafe partial class NcclNative
{
    private const string Lib = CudaLibraries.NcclImportName;

    static NcclNative() => CudaLibraries.EnsureResolver();

    [LibraryImport(Lib)] public static partial int ncclGetVersion(int* version);
    [LibraryImport(Lib)] public static partial int ncclGetUniqueId(NcclUniqueId* id);
    [LibraryImport(Lib)] public static partial int ncclCommInitRank(nint* comm, int ranks, NcclUniqueId id, int rank);
    [LibraryImport(Lib)] public static partial int ncclCommDestroy(nint comm);
    [LibraryImport(Lib)] public static partial int ncclCommAbort(nint comm);
    [LibraryImport(Lib)] public static partial int ncclAllReduce(void* send, void* receive, nuint count, int dataType, int op, nint comm, nint stream);
    [LibraryImport(Lib)] public static partial int ncclAllGather(void* send, void* receive, nuint sendCount, int dataType, nint comm, nint stream);
    [LibraryImport(Lib)] public static partial int ncclBroadcast(void* send, void* receive, nuint count, int dataType, int root, nint comm, nint stream);
    [LibraryImport(Lib)] public static partial int ncclGroupStart();
    [LibraryImport(Lib)] public static partial int ncclGroupEnd();

    /// <summary>A static string naming the result (never freed).</summary>
    [LibraryImport(Lib)] public static partial byte* ncclGetErrorString(int result);
}
