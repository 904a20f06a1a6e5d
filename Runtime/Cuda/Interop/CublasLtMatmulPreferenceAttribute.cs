namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasLtMatmulPreferenceAttributes_t</c> (cublasLt.h).</summary>
internal enum CublasLtMatmulPreferenceAttribute
{
    /// <summary>CUBLASLT_MATMUL_PREF_SEARCH_MODE (uint32).</summary>
    SearchMode = 0,

    /// <summary>CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES (uint64; default 0, no workspace).</summary>
    MaxWorkspaceBytes = 1,

    /// <summary>CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK (uint32).</summary>
    ReductionSchemeMask = 3,

    /// <summary>CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES (uint32; default 256).</summary>
    MinAlignmentABytes = 5,

    /// <summary>CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES (uint32).</summary>
    MinAlignmentBBytes = 6,

    /// <summary>CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES (uint32).</summary>
    MinAlignmentCBytes = 7,

    /// <summary>CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES (uint32).</summary>
    MinAlignmentDBytes = 8,

    /// <summary>CUBLASLT_MATMUL_PREF_MAX_WAVES_COUNT (float).</summary>
    MaxWavesCount = 9,

    /// <summary>CUBLASLT_MATMUL_PREF_IMPL_MASK (uint64).</summary>
    ImplMask = 12,
}
