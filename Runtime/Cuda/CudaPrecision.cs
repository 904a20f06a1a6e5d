namespace DinoCompiled.Cuda;

/// <summary>How the GPU computes the GEMMs. Every other kernel works in fp32; weights, moments and the teacher stay fp32.</summary>
public enum CudaPrecision
{
    /// <summary>fp32 throughout, TF32 off (cuBLAS compute type 32F): the reference mode, bound 1e-4 against the CPU.</summary>
    Fp32,

    /// <summary>GEMMs on TF32 tensor cores (32F_FAST_TF32): bound 5e-3 against the CPU.</summary>
    Tf32,

    /// <summary>GEMMs on bf16 tensor cores with fp32 accumulation and fp32 master weights (32F_FAST_16BF): bound 3e-2.</summary>
    Bf16,
}
