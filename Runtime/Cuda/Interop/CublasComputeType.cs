namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasComputeType_t</c> (cublas_api.h).</summary>
internal enum CublasComputeType
{
    /// <summary>CUBLAS_COMPUTE_16F.</summary>
    Compute16F = 64,

    /// <summary>CUBLAS_COMPUTE_16F_PEDANTIC.</summary>
    Compute16FPedantic = 65,

    /// <summary>CUBLAS_COMPUTE_32F: full float32 multiply-accumulate.</summary>
    Compute32F = 68,

    /// <summary>CUBLAS_COMPUTE_32F_PEDANTIC.</summary>
    Compute32FPedantic = 69,

    /// <summary>CUBLAS_COMPUTE_64F.</summary>
    Compute64F = 70,

    /// <summary>CUBLAS_COMPUTE_64F_PEDANTIC.</summary>
    Compute64FPedantic = 71,

    /// <summary>CUBLAS_COMPUTE_32I.</summary>
    Compute32I = 72,

    /// <summary>CUBLAS_COMPUTE_32I_PEDANTIC.</summary>
    Compute32IPedantic = 73,

    /// <summary>CUBLAS_COMPUTE_32F_FAST_16F.</summary>
    Compute32FFast16F = 74,

    /// <summary>CUBLAS_COMPUTE_32F_FAST_16BF.</summary>
    Compute32FFast16BF = 75,

    /// <summary>CUBLAS_COMPUTE_32F_FAST_TF32: float32 in and out, TF32 tensor cores inside.</summary>
    Compute32FFastTf32 = 77,
}
