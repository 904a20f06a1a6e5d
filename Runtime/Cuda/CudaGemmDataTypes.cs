namespace DinoCompiled.Cuda;

/// <summary>
/// What a GPU GEMM's matrices are stored as (docs/BF16.md). bf16 is two bytes per value, the upper half of the float32
/// of the same value. cuBLASLt needs A and B of one type, and C = D here (the GEMMs accumulate in place).
/// </summary>
public enum CudaGemmDataTypes
{
    /// <summary>fp32 A, B, C = D and bias; the compute type is the precision mode's (<see cref="CudaPrecision"/>).</summary>
    Float32,

    /// <summary>bf16 A and B, fp32 C = D and an fp32 bias, fp32 accumulation (CUBLAS_COMPUTE_32F): residual-stream outputs,
    /// logits, and the weight gradients accumulated into the fp32 flat gradient buffer with β = 1.</summary>
    Bf16ToFloat32,

    /// <summary>bf16 A, B, C = D and a bf16 bias (the bf16 weight copy's), fp32 accumulation (CUBLAS_COMPUTE_32F):
    /// activations and activation gradients that are the next GEMM's operand.</summary>
    Bf16ToBf16,
}
