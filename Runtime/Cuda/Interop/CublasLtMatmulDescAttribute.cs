namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasLtMatmulDescAttributes_t</c> (cublasLt.h, CUDA 12.6); comments give each value's C type.</summary>
internal enum CublasLtMatmulDescAttribute
{
    /// <summary>CUBLASLT_MATMUL_DESC_COMPUTE_TYPE (int32).</summary>
    ComputeType = 0,

    /// <summary>CUBLASLT_MATMUL_DESC_SCALE_TYPE (int32, cudaDataType of alpha and beta).</summary>
    ScaleType = 1,

    /// <summary>CUBLASLT_MATMUL_DESC_POINTER_MODE (int32).</summary>
    PointerMode = 2,

    /// <summary>CUBLASLT_MATMUL_DESC_TRANSA (int32, cublasOperation_t).</summary>
    TransA = 3,

    /// <summary>CUBLASLT_MATMUL_DESC_TRANSB (int32, cublasOperation_t).</summary>
    TransB = 4,

    /// <summary>CUBLASLT_MATMUL_DESC_TRANSC (int32; only N is supported).</summary>
    TransC = 5,

    /// <summary>CUBLASLT_MATMUL_DESC_FILL_MODE (int32).</summary>
    FillMode = 6,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE (uint32, cublasLtEpilogue_t).</summary>
    Epilogue = 7,

    /// <summary>CUBLASLT_MATMUL_DESC_BIAS_POINTER (device pointer; bias in, or bias gradient out for the BGRAD epilogues).</summary>
    BiasPointer = 8,

    /// <summary>CUBLASLT_MATMUL_DESC_BIAS_BATCH_STRIDE (int64).</summary>
    BiasBatchStride = 10,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE_AUX_POINTER (device pointer: GELU input written forward, read backward).</summary>
    EpilogueAuxPointer = 11,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE_AUX_LD (int64; for GELU a multiple of 8, at least the rows of D).</summary>
    EpilogueAuxLd = 12,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE_AUX_BATCH_STRIDE (int64).</summary>
    EpilogueAuxBatchStride = 13,

    /// <summary>CUBLASLT_MATMUL_DESC_ALPHA_VECTOR_BATCH_STRIDE (int64).</summary>
    AlphaVectorBatchStride = 14,

    /// <summary>CUBLASLT_MATMUL_DESC_SM_COUNT_TARGET (int32).</summary>
    SmCountTarget = 15,

    /// <summary>CUBLASLT_MATMUL_DESC_A_SCALE_POINTER.</summary>
    AScalePointer = 17,

    /// <summary>CUBLASLT_MATMUL_DESC_B_SCALE_POINTER.</summary>
    BScalePointer = 18,

    /// <summary>CUBLASLT_MATMUL_DESC_C_SCALE_POINTER.</summary>
    CScalePointer = 19,

    /// <summary>CUBLASLT_MATMUL_DESC_D_SCALE_POINTER.</summary>
    DScalePointer = 20,

    /// <summary>CUBLASLT_MATMUL_DESC_AMAX_D_POINTER.</summary>
    AmaxDPointer = 21,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE_AUX_DATA_TYPE (int32 cudaDataType; default: D's type).</summary>
    EpilogueAuxDataType = 22,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE_AUX_SCALE_POINTER.</summary>
    EpilogueAuxScalePointer = 23,

    /// <summary>CUBLASLT_MATMUL_DESC_EPILOGUE_AUX_AMAX_POINTER.</summary>
    EpilogueAuxAmaxPointer = 24,

    /// <summary>CUBLASLT_MATMUL_DESC_FAST_ACCUM (int8).</summary>
    FastAccum = 25,

    /// <summary>CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE (int32 cudaDataType; default: D's type).</summary>
    BiasDataType = 26,
}
