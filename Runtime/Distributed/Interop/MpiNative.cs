using System.Runtime.InteropServices;

namespace DinoCompiled.Distributed.Interop;

/// <summary>
/// The MPI entry points data-parallel training calls (mpi.h, MPI 3.1), as Open MPI exports them: every handle
/// (communicator, datatype, operation, error handler, request) is a pointer, the predefined ones being the addresses of
/// global symbols that <see cref="MpiHandles"/> reads from the loaded library. Every call returns an MPI error code;
/// <see cref="MpiCommunicator"/> checks each one.
/// </summary>
internal static unsafe partial class MpiNative
{
    private const string Lib = MpiLibrary.ImportName;

    /// <summary>mpi.h: MPI_THREAD_SERIALIZED (any thread may call, one at a time), the level the gradient buckets need.</summary>
    public const int ThreadSerialized = 2;

    /// <summary>Open MPI's MPI_IN_PLACE: the address 1.</summary>
    public static readonly void* InPlace = (void*)1;

    /// <summary>Open MPI's MPI_MAX_LIBRARY_VERSION_STRING and MPI_MAX_ERROR_STRING.</summary>
    public const int MaxString = 256;

    static MpiNative() => Cuda.CudaLibraries.EnsureResolver();

    [LibraryImport(Lib)] public static partial int MPI_Initialized(int* flag);
    [LibraryImport(Lib)] public static partial int MPI_Finalized(int* flag);
    [LibraryImport(Lib)] public static partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);
    [LibraryImport(Lib)] public static partial int MPI_Finalize();
    [LibraryImport(Lib)] public static partial int MPI_Comm_rank(nint comm, int* rank);
    [LibraryImport(Lib)] public static partial int MPI_Comm_size(nint comm, int* size);
    [LibraryImport(Lib)] public static partial int MPI_Comm_set_errhandler(nint comm, nint errhandler);
    [LibraryImport(Lib)] public static partial int MPI_Allreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm);
    [LibraryImport(Lib)] public static partial int MPI_Allgather(void* send, int sendCount, nint sendType, void* receive, int receiveCount, nint receiveType, nint comm);
    [LibraryImport(Lib)] public static partial int MPI_Bcast(void* buffer, int count, nint datatype, int root, nint comm);
    [LibraryImport(Lib)] public static partial int MPI_Ibarrier(nint comm, nint* request);
    [LibraryImport(Lib)] public static partial int MPI_Test(nint* request, int* flag, void* status);
    [LibraryImport(Lib)] public static partial int MPI_Abort(nint comm, int errorCode);
    [LibraryImport(Lib)] public static partial int MPI_Get_library_version(byte* version, int* length);
    [LibraryImport(Lib)] public static partial int MPI_Error_string(int errorCode, byte* text, int* length);
}
