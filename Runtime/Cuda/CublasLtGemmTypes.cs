using System;
using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Cuda;

/// <summary>
/// The cuBLASLt types of one GEMM: compute and scale type (alpha and beta are fp32 throughout), the layouts' data types
/// (cuBLASLt's A is our B and its B our A, <see cref="ColumnMajorGemm"/>; they share one type), C = D, and the bias
/// vector's type (<c>CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE</c>), set to D's type as the documented default would (a bf16
/// D takes the bias from the bf16 weight copy). bf16 operands always use CUBLAS_COMPUTE_32F: fp32 accumulation on bf16
/// tensor cores; the precision mode chooses the compute type of fp32 GEMMs only.
/// </summary>
internal readonly record struct CublasLtGemmTypes(CublasComputeType Compute, CudaDataType Scale, CudaDataType Operands, CudaDataType Output, CudaDataType Bias)
{
    /// <summary>Bytes per value of the operands (A, B).</summary>
    public int OperandBytes => Operands == CudaDataType.R16BF ? 2 : 4;

    /// <summary>Bytes per value of C = D and of the bias.</summary>
    public int OutputBytes => Output == CudaDataType.R16BF ? 2 : 4;

    public static CublasLtGemmTypes For(CudaGemmDataTypes types, CudaPrecision precision) => types switch
    {
        CudaGemmDataTypes.Float32 => new(Fp32Compute(precision), CudaDataType.R32F, CudaDataType.R32F, CudaDataType.R32F, CudaDataType.R32F),
        CudaGemmDataTypes.Bf16ToFloat32 => new(CublasComputeType.Compute32F, CudaDataType.R32F, CudaDataType.R16BF, CudaDataType.R32F, CudaDataType.R32F),
        CudaGemmDataTypes.Bf16ToBf16 => new(CublasComputeType.Compute32F, CudaDataType.R32F, CudaDataType.R16BF, CudaDataType.R16BF, CudaDataType.R16BF),
        _ => throw new ArgumentOutOfRangeException(nameof(types), types, "Unknown GEMM data types."),
    };

    private static CublasComputeType Fp32Compute(CudaPrecision precision) => precision switch
    {
        CudaPrecision.Fp32 => CublasComputeType.Compute32F,
        CudaPrecision.Tf32 => CublasComputeType.Compute32FFastTf32,
        CudaPrecision.Bf16 => CublasComputeType.Compute32FFast16BF,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };
}
