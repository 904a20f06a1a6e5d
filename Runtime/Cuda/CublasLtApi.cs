using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Cuda;

/// <summary>The cuBLASLt calls <see cref="CublasLtGemm"/> makes, each checked (a failure throws <see cref="CudaException"/>).</summary>
internal static unsafe class CublasLtApi
{
    public static nint Create()
    {
        nint handle;
        CudaCheck.Cublas(CublasLtNative.cublasLtCreate(&handle), "cublasLtCreate");
        return handle;
    }

    public static void Destroy(nint handle) => CudaCheck.Cublas(CublasLtNative.cublasLtDestroy(handle), "cublasLtDestroy");

    public static nint CreateDescriptor(CublasComputeType computeType, CudaDataType scaleType)
    {
        nint descriptor;
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulDescCreate(&descriptor, computeType, scaleType), "cublasLtMatmulDescCreate");
        return descriptor;
    }

    public static void DestroyDescriptor(nint descriptor) => CudaCheck.Cublas(CublasLtNative.cublasLtMatmulDescDestroy(descriptor), "cublasLtMatmulDescDestroy");

    public static void SetTranspose(nint descriptor, CublasLtMatmulDescAttribute attribute, bool transpose)
    {
        int value = (int)(transpose ? CublasOperation.Transpose : CublasOperation.None);
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulDescSetAttribute(descriptor, attribute, &value, sizeof(int)), "cublasLtMatmulDescSetAttribute(" + attribute + ")");
    }

    public static void SetEpilogue(nint descriptor, CublasLtEpilogue epilogue)
    {
        uint value = (uint)epilogue;
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulDescSetAttribute(descriptor, CublasLtMatmulDescAttribute.Epilogue, &value, sizeof(uint)), "cublasLtMatmulDescSetAttribute(Epilogue)");
    }

    public static void SetBias(nint descriptor, ulong bias)
    {
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulDescSetAttribute(descriptor, CublasLtMatmulDescAttribute.BiasPointer, &bias, sizeof(ulong)), "cublasLtMatmulDescSetAttribute(BiasPointer)");
    }

    /// <summary>CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE: the bias vector's cudaDataType (an int32; the default, -1, means D's type).</summary>
    public static void SetBiasDataType(nint descriptor, CudaDataType type)
    {
        int value = (int)type;
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulDescSetAttribute(descriptor, CublasLtMatmulDescAttribute.BiasDataType, &value, sizeof(int)),
            "cublasLtMatmulDescSetAttribute(BiasDataType)");
    }

    public static nint CreateLayout(CudaDataType type, int rows, int columns, int ld)
    {
        nint layout;
        CudaCheck.Cublas(CublasLtNative.cublasLtMatrixLayoutCreate(&layout, type, (ulong)rows, (ulong)columns, ld), "cublasLtMatrixLayoutCreate");
        return layout;
    }

    public static void DestroyLayout(nint layout) => CudaCheck.Cublas(CublasLtNative.cublasLtMatrixLayoutDestroy(layout), "cublasLtMatrixLayoutDestroy");

    /// <summary>
    /// The heuristic's first choice for the operation within the workspace, for pointers with the given alignments (bytes;
    /// C's is also D's, as C = D); a shape it cannot do throws, naming it.
    /// </summary>
    public static CublasLtMatmulAlgo BestAlgorithm(nint handle, nint descriptor, nint layoutA, nint layoutB, nint layoutC, long workspaceBytes,
        uint alignmentA, uint alignmentB, uint alignmentC, string what)
    {
        nint preference;
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulPreferenceCreate(&preference), "cublasLtMatmulPreferenceCreate");
        try
        {
            ulong bytes = (ulong)workspaceBytes;
            CudaCheck.Cublas(CublasLtNative.cublasLtMatmulPreferenceSetAttribute(preference, CublasLtMatmulPreferenceAttribute.MaxWorkspaceBytes, &bytes, sizeof(ulong)),
                "cublasLtMatmulPreferenceSetAttribute(MaxWorkspaceBytes)");
            SetAlignment(preference, CublasLtMatmulPreferenceAttribute.MinAlignmentABytes, alignmentA);
            SetAlignment(preference, CublasLtMatmulPreferenceAttribute.MinAlignmentBBytes, alignmentB);
            SetAlignment(preference, CublasLtMatmulPreferenceAttribute.MinAlignmentCBytes, alignmentC);
            SetAlignment(preference, CublasLtMatmulPreferenceAttribute.MinAlignmentDBytes, alignmentC);
            CublasLtMatmulHeuristicResult result;
            int returned = 0;
            CudaCheck.Cublas(CublasLtNative.cublasLtMatmulAlgoGetHeuristic(handle, descriptor, layoutA, layoutB, layoutC, layoutC, preference, 1, &result, &returned),
                "cublasLtMatmulAlgoGetHeuristic for " + what);
            if (returned == 0) throw new CudaException(CudaLibrary.CublasLt, "cublasLtMatmulAlgoGetHeuristic for " + what, 15, "CUBLAS_STATUS_NOT_SUPPORTED");
            return result.Algo;
        }
        finally
        {
            CublasLtNative.cublasLtMatmulPreferenceDestroy(preference);
        }
    }

    private static void SetAlignment(nint preference, CublasLtMatmulPreferenceAttribute attribute, uint bytes) =>
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmulPreferenceSetAttribute(preference, attribute, &bytes, sizeof(uint)),
            "cublasLtMatmulPreferenceSetAttribute(" + attribute + ")");

    public static void Matmul(nint handle, nint descriptor, float* alpha, ulong a, nint layoutA, ulong b, nint layoutB, float* beta, ulong c, nint layoutC,
        ulong d, nint layoutD, CublasLtMatmulAlgo* algorithm, ulong workspace, long workspaceBytes, nint stream) =>
        CudaCheck.Cublas(CublasLtNative.cublasLtMatmul(handle, descriptor, alpha, a, layoutA, b, layoutB, beta, c, layoutC, d, layoutD, algorithm, workspace, (nuint)workspaceBytes, stream),
            "cublasLtMatmul");
}
