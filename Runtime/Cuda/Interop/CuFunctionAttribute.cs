namespace DinoCompiled.Cuda.Interop;

/// <summary><c>CUfunction_attribute</c> (cuda.h, <c>CUfunction_attribute_enum</c>).</summary>
internal enum CuFunctionAttribute
{
    /// <summary>CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK.</summary>
    MaxThreadsPerBlock = 0,

    /// <summary>CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES: static shared memory.</summary>
    SharedSizeBytes = 1,

    /// <summary>CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES.</summary>
    ConstSizeBytes = 2,

    /// <summary>CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES: local memory per thread (stack and spills).</summary>
    LocalSizeBytes = 3,

    /// <summary>CU_FUNC_ATTRIBUTE_NUM_REGS.</summary>
    NumRegs = 4,

    /// <summary>CU_FUNC_ATTRIBUTE_PTX_VERSION (major·10 + minor).</summary>
    PtxVersion = 5,

    /// <summary>CU_FUNC_ATTRIBUTE_BINARY_VERSION (major·10 + minor).</summary>
    BinaryVersion = 6,

    /// <summary>CU_FUNC_ATTRIBUTE_CACHE_MODE_CA.</summary>
    CacheModeCa = 7,

    /// <summary>CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES: set it to launch with more than 48 KiB dynamic shared memory.</summary>
    MaxDynamicSharedSizeBytes = 8,

    /// <summary>CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT (percent of L1 given to shared memory).</summary>
    PreferredSharedMemoryCarveout = 9,
}
