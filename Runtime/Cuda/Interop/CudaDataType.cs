namespace DinoCompiled.Cuda.Interop;

/// <summary>The <c>cudaDataType</c> values the GEMMs use (library_types.h, <c>cudaDataType_t</c>).</summary>
internal enum CudaDataType
{
    /// <summary>CUDA_R_32F.</summary>
    R32F = 0,

    /// <summary>CUDA_R_64F.</summary>
    R64F = 1,

    /// <summary>CUDA_R_16F.</summary>
    R16F = 2,

    /// <summary>CUDA_R_32I.</summary>
    R32I = 10,

    /// <summary>CUDA_R_16BF.</summary>
    R16BF = 14,
}
