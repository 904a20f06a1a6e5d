using System.Runtime.InteropServices;

namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasLtMatmulAlgo_t</c> (cublasLt.h): semi-opaque, <c>uint64_t data[8]</c>, copied as it is.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct CublasLtMatmulAlgo
{
    /// <summary>The descriptor's words.</summary>
    public fixed ulong Data[8];
}
