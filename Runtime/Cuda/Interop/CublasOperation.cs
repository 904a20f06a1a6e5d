namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasOperation_t</c> (cublas_api.h): the value of the TRANSA/TRANSB descriptor attributes.</summary>
internal enum CublasOperation
{
    /// <summary>CUBLAS_OP_N.</summary>
    None = 0,

    /// <summary>CUBLAS_OP_T.</summary>
    Transpose = 1,

    /// <summary>CUBLAS_OP_C.</summary>
    ConjugateTranspose = 2,
}
