using System.Runtime.InteropServices;

namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// <c>cublasLtMatmulHeuristicResult_t</c> (cublasLt.h): the algo (64 bytes), <c>size_t workspaceSize</c>,
/// <c>cublasStatus_t state</c>, <c>float wavesCount</c>, <c>int reserved[4]</c>: 96 bytes on x86-64. The offsets are
/// explicit so a layout mistake shows in a test rather than as a corrupt algo at run time.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 96)]
internal unsafe struct CublasLtMatmulHeuristicResult
{
    /// <summary>The configured algorithm to pass to cublasLtMatmul.</summary>
    [FieldOffset(0)] public CublasLtMatmulAlgo Algo;

    /// <summary>The workspace the algorithm needs, in bytes.</summary>
    [FieldOffset(64)] public nuint WorkspaceSize;

    /// <summary>CUBLAS_STATUS_SUCCESS when the other fields are valid.</summary>
    [FieldOffset(72)] public int State;

    /// <summary>Device utilization: 1.0 fills the GPU once.</summary>
    [FieldOffset(76)] public float WavesCount;

    /// <summary>Reserved by cuBLASLt.</summary>
    [FieldOffset(80)] public fixed int Reserved[4];
}
