using System.Runtime.InteropServices;

namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// The cuBLASLt entry points (cublasLt.h, CUDA 11 and later). Every call but <see cref="cublasLtGetVersion"/> returns a
/// <c>cublasStatus_t</c>; pass it to <see cref="CudaCheck.Cublas"/>. Handles and descriptors are <see cref="nint"/>;
/// device matrices and the workspace are device pointers (<see cref="ulong"/>); alpha and beta are host pointers to the
/// scale type (float for CUDA_R_32F).
/// </summary>
internal static unsafe partial class CublasLtNative
{
    private const string Lib = CudaLibraries.CublasLtImportName;

    static CublasLtNative() => CudaLibraries.EnsureResolver();

    [LibraryImport(Lib)] public static partial int cublasLtCreate(nint* handle);
    [LibraryImport(Lib)] public static partial int cublasLtDestroy(nint handle);

    /// <summary>The library version, e.g. 120603 for 12.6.3.</summary>
    [LibraryImport(Lib)] public static partial nuint cublasLtGetVersion();

    [LibraryImport(Lib)] public static partial int cublasLtMatmulDescCreate(nint* descriptor, CublasComputeType computeType, CudaDataType scaleType);
    [LibraryImport(Lib)] public static partial int cublasLtMatmulDescDestroy(nint descriptor);
    [LibraryImport(Lib)] public static partial int cublasLtMatmulDescSetAttribute(nint descriptor, CublasLtMatmulDescAttribute attribute, void* value, nuint size);

    [LibraryImport(Lib)] public static partial int cublasLtMatrixLayoutCreate(nint* layout, CudaDataType type, ulong rows, ulong cols, long ld);
    [LibraryImport(Lib)] public static partial int cublasLtMatrixLayoutDestroy(nint layout);
    [LibraryImport(Lib)] public static partial int cublasLtMatrixLayoutSetAttribute(nint layout, CublasLtMatrixLayoutAttribute attribute, void* value, nuint size);

    [LibraryImport(Lib)] public static partial int cublasLtMatmulPreferenceCreate(nint* preference);
    [LibraryImport(Lib)] public static partial int cublasLtMatmulPreferenceDestroy(nint preference);
    [LibraryImport(Lib)] public static partial int cublasLtMatmulPreferenceSetAttribute(nint preference, CublasLtMatmulPreferenceAttribute attribute, void* value, nuint size);

    [LibraryImport(Lib)]
    public static partial int cublasLtMatmulAlgoGetHeuristic(nint handle, nint operation, nint layoutA, nint layoutB, nint layoutC, nint layoutD,
        nint preference, int requestedCount, CublasLtMatmulHeuristicResult* results, int* returnedCount);

    /// <summary>D = alpha·op(A)·op(B) + beta·C with the descriptor's epilogue; C and D may be the same matrix.</summary>
    [LibraryImport(Lib)]
    public static partial int cublasLtMatmul(nint handle, nint operation, void* alpha, ulong a, nint layoutA, ulong b, nint layoutB, void* beta,
        ulong c, nint layoutC, ulong d, nint layoutD, CublasLtMatmulAlgo* algo, ulong workspace, nuint workspaceBytes, nint stream);
}
