using System.Runtime.InteropServices;

namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// The CUDA driver API entry points the runtime uses, as cuda.h declares them (CUDA 12). Where cuda.h maps a name to a
/// versioned symbol (<c>#define cuMemAlloc cuMemAlloc_v2</c>) the import names the versioned symbol, because that is
/// what the library exports with today's semantics. Every call returns a <c>CUresult</c>; pass it to
/// <see cref="CudaCheck.Driver"/>. Handles (<c>CUcontext</c>, <c>CUmodule</c>, <c>CUfunction</c>, <c>CUstream</c>,
/// <c>CUevent</c>, <c>CUgraph</c>, <c>CUgraphExec</c>) are <see cref="nint"/>; <c>CUdeviceptr</c> is <see cref="ulong"/>;
/// <c>CUdevice</c> is <see cref="int"/>.
/// </summary>
internal static unsafe partial class CudaDriverNative
{
    /// <summary>CU_STREAM_DEFAULT (cuda.h, CUstream_flags).</summary>
    public const uint StreamDefault = 0x0;

    /// <summary>CU_STREAM_NON_BLOCKING: no implicit synchronization with the legacy default stream.</summary>
    public const uint StreamNonBlocking = 0x1;

    /// <summary>CU_EVENT_DEFAULT (cuda.h, CUevent_flags).</summary>
    public const uint EventDefault = 0x0;

    /// <summary>CU_EVENT_BLOCKING_SYNC.</summary>
    public const uint EventBlockingSync = 0x1;

    /// <summary>CU_EVENT_DISABLE_TIMING: cheaper events for ordering only.</summary>
    public const uint EventDisableTiming = 0x2;

    /// <summary>CUDA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH (cuda.h, CUgraphInstantiate_flags).</summary>
    public const ulong GraphInstantiateAutoFreeOnLaunch = 1;

    private const string Lib = CudaLibraries.DriverImportName;

    static CudaDriverNative() => CudaLibraries.EnsureResolver();

    [LibraryImport(Lib)] public static partial int cuInit(uint flags);
    [LibraryImport(Lib)] public static partial int cuDriverGetVersion(int* driverVersion);
    [LibraryImport(Lib)] public static partial int cuDeviceGetCount(int* count);
    [LibraryImport(Lib)] public static partial int cuDeviceGet(int* device, int ordinal);
    [LibraryImport(Lib)] public static partial int cuDeviceGetAttribute(int* value, CuDeviceAttribute attribute, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib)] public static partial int cuDeviceTotalMem_v2(nuint* bytes, int device);
    [LibraryImport(Lib)] public static partial int cuDevicePrimaryCtxRetain(nint* context, int device);
    [LibraryImport(Lib)] public static partial int cuDevicePrimaryCtxRelease_v2(int device);
    [LibraryImport(Lib)] public static partial int cuCtxSetCurrent(nint context);
    [LibraryImport(Lib)] public static partial int cuCtxSynchronize();

    [LibraryImport(Lib)] public static partial int cuModuleLoadData(nint* module, void* image);
    [LibraryImport(Lib)] public static partial int cuModuleUnload(nint module);
    [LibraryImport(Lib)] public static partial int cuModuleGetFunction(nint* function, nint module, byte* name);
    [LibraryImport(Lib)] public static partial int cuFuncGetAttribute(int* value, CuFunctionAttribute attribute, nint function);
    [LibraryImport(Lib)] public static partial int cuFuncSetAttribute(nint function, CuFunctionAttribute attribute, int value);

    [LibraryImport(Lib)] public static partial int cuMemAlloc_v2(ulong* devicePointer, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemFree_v2(ulong devicePointer);
    [LibraryImport(Lib)] public static partial int cuMemAllocHost_v2(void** hostPointer, nuint bytes);
    [LibraryImport(Lib)] public static partial int cuMemFreeHost(void* hostPointer);
    [LibraryImport(Lib)] public static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);
    [LibraryImport(Lib)] public static partial int cuMemsetD32Async(ulong destination, uint value, nuint count, nint stream);

    [LibraryImport(Lib)] public static partial int cuStreamCreate(nint* stream, uint flags);
    [LibraryImport(Lib)] public static partial int cuStreamDestroy_v2(nint stream);
    [LibraryImport(Lib)] public static partial int cuStreamSynchronize(nint stream);
    [LibraryImport(Lib)] public static partial int cuEventCreate(nint* @event, uint flags);
    [LibraryImport(Lib)] public static partial int cuEventRecord(nint @event, nint stream);
    [LibraryImport(Lib)] public static partial int cuEventSynchronize(nint @event);
    [LibraryImport(Lib)] public static partial int cuEventElapsedTime(float* milliseconds, nint start, nint end);
    [LibraryImport(Lib)] public static partial int cuEventDestroy_v2(nint @event);
    [LibraryImport(Lib)] public static partial int cuStreamWaitEvent(nint stream, nint @event, uint flags);

    [LibraryImport(Lib)] public static partial int cuStreamBeginCapture_v2(nint stream, CuStreamCaptureMode mode);
    [LibraryImport(Lib)] public static partial int cuStreamEndCapture(nint stream, nint* graph);
    [LibraryImport(Lib)] public static partial int cuGraphInstantiateWithFlags(nint* graphExec, nint graph, ulong flags);
    [LibraryImport(Lib)] public static partial int cuGraphLaunch(nint graphExec, nint stream);
    [LibraryImport(Lib)] public static partial int cuGraphExecDestroy(nint graphExec);
    [LibraryImport(Lib)] public static partial int cuGraphDestroy(nint graph);

    /// <summary>
    /// <paramref name="kernelParams"/> points to one pointer per kernel parameter, each at that parameter's value (a
    /// <see cref="KernelArgs"/> slot); <paramref name="extra"/> is null.
    /// </summary>
    [LibraryImport(Lib)]
    public static partial int cuLaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, void** kernelParams, void** extra);

    /// <summary>Sets <paramref name="name"/> to a static string; CUDA_ERROR_INVALID_VALUE for a code it does not know.</summary>
    [LibraryImport(Lib)] public static partial int cuGetErrorName(int error, byte** name);
}
