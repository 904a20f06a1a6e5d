namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// <c>cublasLtEpilogue_t</c> (cublasLt.h): the header builds the values from bits (RELU 2, BIAS 4, DRELU 8, BGRAD 16,
/// GELU 32, DGELU 64, AUX 128), which is why they are not consecutive.
/// </summary>
internal enum CublasLtEpilogue : uint
{
    /// <summary>CUBLASLT_EPILOGUE_DEFAULT: scale and store only.</summary>
    Default = 1,

    /// <summary>CUBLASLT_EPILOGUE_RELU.</summary>
    Relu = 2,

    /// <summary>CUBLASLT_EPILOGUE_RELU_AUX (RELU | 128).</summary>
    ReluAux = 130,

    /// <summary>CUBLASLT_EPILOGUE_BIAS: add a bias vector with one value per row of D (column-major).</summary>
    Bias = 4,

    /// <summary>CUBLASLT_EPILOGUE_RELU_BIAS.</summary>
    ReluBias = 6,

    /// <summary>CUBLASLT_EPILOGUE_RELU_AUX_BIAS.</summary>
    ReluAuxBias = 134,

    /// <summary>CUBLASLT_EPILOGUE_DRELU (8 | 128).</summary>
    DRelu = 136,

    /// <summary>CUBLASLT_EPILOGUE_DRELU_BGRAD.</summary>
    DReluBGrad = 152,

    /// <summary>CUBLASLT_EPILOGUE_GELU.</summary>
    Gelu = 32,

    /// <summary>CUBLASLT_EPILOGUE_GELU_AUX (GELU | 128): also writes the GELU input to the aux buffer.</summary>
    GeluAux = 160,

    /// <summary>CUBLASLT_EPILOGUE_GELU_BIAS.</summary>
    GeluBias = 36,

    /// <summary>CUBLASLT_EPILOGUE_GELU_AUX_BIAS: bias, keep the pre-activation in aux, then GELU.</summary>
    GeluAuxBias = 164,

    /// <summary>CUBLASLT_EPILOGUE_DGELU (64 | 128): multiply by gelu'(aux).</summary>
    DGelu = 192,

    /// <summary>CUBLASLT_EPILOGUE_DGELU_BGRAD: DGELU plus the bias gradient into the bias pointer.</summary>
    DGeluBGrad = 208,

    /// <summary>CUBLASLT_EPILOGUE_BGRADA: bias gradient reduced from A (one per row of D).</summary>
    BGradA = 256,

    /// <summary>CUBLASLT_EPILOGUE_BGRADB: bias gradient reduced from B (one per column of D).</summary>
    BGradB = 512,
}
