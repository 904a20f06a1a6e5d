namespace DinoCompiled.Cuda;

/// <summary>How the GPU runs the step. Master weights, AdamW moments, the teacher and the center are fp32 in every mode.</summary>
public enum CudaPrecision
{
    /// <summary>fp32 throughout, TF32 off (cuBLAS compute type 32F): the reference mode, bound 1e-4 against the CPU.</summary>
    Fp32,

    /// <summary>GEMMs on TF32 tensor cores (32F_FAST_TF32): bound 5e-3 against the CPU.</summary>
    Tf32,

    /// <summary>
    /// The bf16 schedules (docs/BF16.md): bf16 activations and GEMM operands on tensor cores with fp32 accumulation,
    /// generated flash attention, the fp32 residual stream, statistics, logits and gradients, and bf16 weight copies
    /// written by AdamW and the EMA: bound 3e-2.
    /// </summary>
    Bf16,
}
