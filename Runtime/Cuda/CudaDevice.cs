using System;

namespace DinoCompiled.Cuda;

/// <summary>
/// One NVIDIA GPU through the CUDA driver API: its primary context made current on the calling thread, one stream
/// that every copy, GEMM and kernel of a training step runs on, and the properties kernels are compiled for.
/// </summary>
public sealed class CudaDevice : IDisposable
{
    private readonly int _device;
    private bool _disposed;

    private CudaDevice(int ordinal)
    {
        CudaApi.Init();
        int count = CudaApi.DeviceCount();
        if (ordinal < 0 || ordinal >= count)
            throw new InvalidOperationException($"no CUDA device {ordinal}: this machine has {count}");
        _device = CudaApi.DeviceGet(ordinal);
        Ordinal = ordinal;
        Name = CudaApi.DeviceName(_device);
        ComputeCapability = (CudaApi.DeviceAttribute(_device, Interop.CuDeviceAttribute.ComputeCapabilityMajor),
                             CudaApi.DeviceAttribute(_device, Interop.CuDeviceAttribute.ComputeCapabilityMinor));
        Multiprocessors = CudaApi.DeviceAttribute(_device, Interop.CuDeviceAttribute.MultiprocessorCount);
        TotalMemoryBytes = CudaApi.DeviceTotalMemory(_device);
        DriverVersion = CudaApi.DriverVersion();
        Context = CudaApi.RetainPrimaryContext(_device);
        try
        {
            CudaApi.SetCurrentContext(Context);
            Stream = CudaApi.StreamCreate();
        }
        catch
        {
            CudaApi.TryReleasePrimaryContext(_device);
            throw;
        }
    }

    /// <summary>The device's ordinal.</summary>
    public int Ordinal { get; }

    /// <summary>The device's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public string Name { get; }

    /// <summary>Compute capability (9, 0 for Hopper).</summary>
    public (int Major, int Minor) ComputeCapability { get; }

    /// <summary>Streaming multiprocessors.</summary>
    public int Multiprocessors { get; }

    /// <summary>Device memory in bytes.</summary>
    public long TotalMemoryBytes { get; }

    /// <summary>The driver's CUDA version as the driver reports it (12040 for 12.4).</summary>
    public int DriverVersion { get; }

    internal nint Context { get; }

    /// <summary>The stream all work of this device object runs on.</summary>
    internal nint Stream { get; }

    /// <summary>Opens device <paramref name="ordinal"/>.</summary>
    /// <exception cref="CudaException">No driver, no such device, or the driver failed.</exception>
    public static CudaDevice Open(int ordinal = 0) => new(ordinal);

    /// <summary>Opens device <paramref name="ordinal"/> if a CUDA driver and the device are there; otherwise says why not.</summary>
    public static bool TryOpen(int ordinal, out CudaDevice? device, out string reason)
    {
        device = null;
        if (!CudaApi.IsDriverAvailable(out reason)) return false;
        try
        {
            device = new CudaDevice(ordinal);
            reason = "";
            return true;
        }
        catch (Exception exception) when (exception is CudaException or InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = exception.Message;
            return false;
        }
    }

    /// <summary>Allocates <paramref name="floats"/> floats of device memory (not zeroed).</summary>
    public DeviceBuffer Allocate(long floats) => new(this, floats);

    /// <summary>
    /// Makes the device's context current on the calling thread. The constructor does it for the thread that opens the
    /// device; a driver call from any other thread fails with CUDA_ERROR_INVALID_CONTEXT unless this is called there first.
    /// </summary>
    public void MakeCurrent() => CudaApi.SetCurrentContext(Context);

    /// <summary>Waits for everything queued on the stream.</summary>
    public void Synchronize() => CudaApi.StreamSynchronize(Stream);

    /// <summary>Compiles (or takes from the disk cache) and loads a CUDA module for this device.</summary>
    public CudaModule LoadModule(CudaModuleSource source) => new(this, source);

    /// <summary>A one-line description: name, compute capability, memory, driver.</summary>
    public override string ToString() =>
        $"{Name} (sm_{ComputeCapability.Major}{ComputeCapability.Minor}, {Multiprocessors} SMs, {TotalMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB, driver CUDA {DriverVersion / 1000}.{DriverVersion % 1000 / 10})";

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Free the stream and the context reference even when the stream reports an error (a sticky error such as an
        // illegal address fails every later call), so a failed run does not leak the context; the error still throws.
        try
        {
            CudaApi.SetCurrentContext(Context);
            CudaApi.StreamSynchronize(Stream);
        }
        finally
        {
            CudaApi.TryStreamDestroy(Stream);
            CudaApi.TryReleasePrimaryContext(_device);
        }
    }
}
