namespace DinoCompiled.Cuda.Interop;

/// <summary>The <c>CUdevice_attribute</c> values the runtime reads (cuda.h, <c>CUdevice_attribute_enum</c>).</summary>
internal enum CuDeviceAttribute
{
    /// <summary>CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK.</summary>
    MaxThreadsPerBlock = 1,

    /// <summary>CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: the default (non-opt-in) limit in bytes.</summary>
    MaxSharedMemoryPerBlock = 8,

    /// <summary>CU_DEVICE_ATTRIBUTE_WARP_SIZE.</summary>
    WarpSize = 10,

    /// <summary>CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT.</summary>
    MultiprocessorCount = 16,

    /// <summary>CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE in bytes.</summary>
    L2CacheSize = 38,

    /// <summary>CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR.</summary>
    MaxThreadsPerMultiprocessor = 39,

    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR.</summary>
    ComputeCapabilityMajor = 75,

    /// <summary>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR.</summary>
    ComputeCapabilityMinor = 76,

    /// <summary>CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR in bytes.</summary>
    MaxSharedMemoryPerMultiprocessor = 81,

    /// <summary>CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR.</summary>
    MaxRegistersPerMultiprocessor = 82,

    /// <summary>CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: the limit after cuFuncSetAttribute opts a kernel in.</summary>
    MaxSharedMemoryPerBlockOptin = 97,
}
