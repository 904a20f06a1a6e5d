namespace DinoCompiled.Cuda;

/// <summary>What a GEMM on the GPU does to its result before storing it (cuBLASLt epilogues).</summary>
public enum CudaGemmEpilogue
{
    /// <summary>C = A·B (+ β C).</summary>
    None,

    /// <summary>C = A·B + bias (a row vector, one value per output column).</summary>
    Bias,

    /// <summary>aux = A·B + bias; C = gelu(aux) (exact erf GELU): cuBLASLt's GELU_AUX_BIAS.</summary>
    BiasGeluAux,

    /// <summary>C = (A·B) ⊙ gelu'(aux): cuBLASLt's DGELU, for a Linear's input gradient through the GELU before it.</summary>
    GeluBackwardAux,
}
