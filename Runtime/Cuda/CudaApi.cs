using System;
using System.Runtime.InteropServices;
using System.Text;
using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Cuda;

/// <summary>
/// The driver calls the CUDA backend makes, each checked: a failure throws <see cref="CudaException"/> naming the call
/// and the error. Thin on purpose; the objects (device, buffers, modules, graphs) own the handles.
/// </summary>
internal static unsafe class CudaApi
{
    public static bool IsDriverAvailable(out string reason)
    {
        if (CudaLibraries.TryProbe(CudaLibrary.Driver, out var probe))
        {
            reason = "";
            return true;
        }
        reason = probe.Message ?? "CUDA driver not found";
        return false;
    }

    public static void Init() => CudaCheck.Driver(CudaDriverNative.cuInit(0), "cuInit");

    public static int DriverVersion()
    {
        int version;
        CudaCheck.Driver(CudaDriverNative.cuDriverGetVersion(&version), "cuDriverGetVersion");
        return version;
    }

    public static int DeviceCount()
    {
        int count;
        CudaCheck.Driver(CudaDriverNative.cuDeviceGetCount(&count), "cuDeviceGetCount");
        return count;
    }

    public static int DeviceGet(int ordinal)
    {
        int device;
        CudaCheck.Driver(CudaDriverNative.cuDeviceGet(&device, ordinal), "cuDeviceGet");
        return device;
    }

    public static int DeviceAttribute(int device, CuDeviceAttribute attribute)
    {
        int value;
        CudaCheck.Driver(CudaDriverNative.cuDeviceGetAttribute(&value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    public static string DeviceName(int device)
    {
        byte* name = stackalloc byte[256];
        CudaCheck.Driver(CudaDriverNative.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((nint)name) ?? "unknown";
    }

    public static long DeviceTotalMemory(int device)
    {
        nuint bytes;
        CudaCheck.Driver(CudaDriverNative.cuDeviceTotalMem_v2(&bytes, device), "cuDeviceTotalMem_v2");
        return (long)bytes;
    }

    public static nint RetainPrimaryContext(int device)
    {
        nint context;
        CudaCheck.Driver(CudaDriverNative.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        return context;
    }

    public static void ReleasePrimaryContext(int device) => CudaCheck.Driver(CudaDriverNative.cuDevicePrimaryCtxRelease_v2(device), "cuDevicePrimaryCtxRelease_v2");

    /// <summary>Releases the primary context without throwing (cleanup).</summary>
    public static bool TryReleasePrimaryContext(int device) => CudaDriverNative.cuDevicePrimaryCtxRelease_v2(device) == 0;

    public static void SetCurrentContext(nint context) => CudaCheck.Driver(CudaDriverNative.cuCtxSetCurrent(context), "cuCtxSetCurrent");

    public static nint StreamCreate()
    {
        nint stream;
        CudaCheck.Driver(CudaDriverNative.cuStreamCreate(&stream, 1 /* CU_STREAM_NON_BLOCKING */), "cuStreamCreate");
        return stream;
    }

    public static void StreamDestroy(nint stream) => CudaCheck.Driver(CudaDriverNative.cuStreamDestroy_v2(stream), "cuStreamDestroy_v2");

    /// <summary>Destroys a stream without throwing (cleanup).</summary>
    public static bool TryStreamDestroy(nint stream) => CudaDriverNative.cuStreamDestroy_v2(stream) == 0;

    public static void StreamSynchronize(nint stream) => CudaCheck.Driver(CudaDriverNative.cuStreamSynchronize(stream), "cuStreamSynchronize");

    public static ulong MemAlloc(long bytes)
    {
        ulong address;
        CudaCheck.Driver(CudaDriverNative.cuMemAlloc_v2(&address, (nuint)bytes), "cuMemAlloc_v2");
        return address;
    }

    public static void MemFree(ulong address) => CudaCheck.Driver(CudaDriverNative.cuMemFree_v2(address), "cuMemFree_v2");

    public static void CopyHostToDevice(ulong destination, void* source, long bytes, nint stream)
    {
        if (bytes > 0) CudaCheck.Driver(CudaDriverNative.cuMemcpyHtoDAsync_v2(destination, source, (nuint)bytes, stream), "cuMemcpyHtoDAsync_v2");
    }

    public static void CopyDeviceToHost(void* destination, ulong source, long bytes, nint stream)
    {
        if (bytes > 0) CudaCheck.Driver(CudaDriverNative.cuMemcpyDtoHAsync_v2(destination, source, (nuint)bytes, stream), "cuMemcpyDtoHAsync_v2");
    }

    public static void MemsetD32(ulong destination, uint value, long count, nint stream)
    {
        if (count > 0) CudaCheck.Driver(CudaDriverNative.cuMemsetD32Async(destination, value, (nuint)count, stream), "cuMemsetD32Async");
    }

    public static nint ModuleLoadData(byte[] image)
    {
        nint module;
        fixed (byte* data = image) CudaCheck.Driver(CudaDriverNative.cuModuleLoadData(&module, data), "cuModuleLoadData");
        return module;
    }

    public static void ModuleUnload(nint module) => CudaCheck.Driver(CudaDriverNative.cuModuleUnload(module), "cuModuleUnload");

    public static nint ModuleGetFunction(nint module, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        nint function;
        fixed (byte* n = bytes)
        {
            int status = CudaDriverNative.cuModuleGetFunction(&function, module, n);
            if (status != 0) throw CudaCheck.Failure(CudaLibrary.Driver, status, $"cuModuleGetFunction({name})");
        }
        return function;
    }

    public static void LaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ, uint sharedBytes, nint stream, void** arguments, string name)
    {
        int status = CudaDriverNative.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, stream, arguments, null);
        if (status != 0) throw CudaCheck.Failure(CudaLibrary.Driver, status, $"cuLaunchKernel({name}, grid {gridX}x{gridY}x{gridZ}, block {blockX}, {sharedBytes} B shared)");
    }

    public static void StreamBeginCapture(nint stream) =>
        CudaCheck.Driver(CudaDriverNative.cuStreamBeginCapture_v2(stream, CuStreamCaptureMode.ThreadLocal), "cuStreamBeginCapture_v2");

    public static nint StreamEndCapture(nint stream)
    {
        nint graph;
        CudaCheck.Driver(CudaDriverNative.cuStreamEndCapture(stream, &graph), "cuStreamEndCapture");
        return graph;
    }

    /// <summary>Ends a capture without throwing (for cleanup after a failure); the graph is 0 when the capture was invalidated.</summary>
    public static bool TryStreamEndCapture(nint stream, out nint graph)
    {
        nint captured = 0;
        bool ended = CudaDriverNative.cuStreamEndCapture(stream, &captured) == 0;
        graph = captured;
        return ended;
    }

    /// <summary>Destroys a graph without throwing (for cleanup after a failure).</summary>
    public static bool TryGraphDestroy(nint graph) => CudaDriverNative.cuGraphDestroy(graph) == 0;

    public static nint GraphInstantiate(nint graph)
    {
        nint executable;
        CudaCheck.Driver(CudaDriverNative.cuGraphInstantiateWithFlags(&executable, graph, 0), "cuGraphInstantiateWithFlags");
        return executable;
    }

    public static void GraphLaunch(nint executable, nint stream) => CudaCheck.Driver(CudaDriverNative.cuGraphLaunch(executable, stream), "cuGraphLaunch");

    public static void GraphExecDestroy(nint executable) => CudaCheck.Driver(CudaDriverNative.cuGraphExecDestroy(executable), "cuGraphExecDestroy");

    public static void GraphDestroy(nint graph) => CudaCheck.Driver(CudaDriverNative.cuGraphDestroy(graph), "cuGraphDestroy");

    /// <summary>An event that records time (for <see cref="EventElapsedMilliseconds"/>).</summary>
    public static nint EventCreate()
    {
        nint created;
        CudaCheck.Driver(CudaDriverNative.cuEventCreate(&created, CudaDriverNative.EventDefault), "cuEventCreate");
        return created;
    }

    /// <summary>An event that only orders work between streams (no timing).</summary>
    public static nint EventCreateForOrdering()
    {
        nint created;
        CudaCheck.Driver(CudaDriverNative.cuEventCreate(&created, CudaDriverNative.EventDisableTiming), "cuEventCreate");
        return created;
    }

    /// <summary>Work queued on <paramref name="stream"/> after this call waits for <paramref name="event"/>'s last record.</summary>
    public static void StreamWaitEvent(nint stream, nint @event) => CudaCheck.Driver(CudaDriverNative.cuStreamWaitEvent(stream, @event, 0), "cuStreamWaitEvent");

    public static void EventRecord(nint @event, nint stream) => CudaCheck.Driver(CudaDriverNative.cuEventRecord(@event, stream), "cuEventRecord");

    public static void EventSynchronize(nint @event) => CudaCheck.Driver(CudaDriverNative.cuEventSynchronize(@event), "cuEventSynchronize");

    /// <summary>Milliseconds between two recorded, completed events (about 0.5 us resolution).</summary>
    public static float EventElapsedMilliseconds(nint start, nint end)
    {
        float milliseconds;
        CudaCheck.Driver(CudaDriverNative.cuEventElapsedTime(&milliseconds, start, end), "cuEventElapsedTime");
        return milliseconds;
    }

    public static bool TryEventDestroy(nint @event) => CudaDriverNative.cuEventDestroy_v2(@event) == 0;
}
