using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>A block of device memory holding floats (or any 4-byte values), freed on dispose.</summary>
public sealed class DeviceBuffer : IDisposable
{
    private readonly CudaDevice _device;
    private ulong _address;

    internal DeviceBuffer(CudaDevice device, long floats)
    {
        if (floats < 0) throw new ArgumentOutOfRangeException(nameof(floats), floats, "A buffer length cannot be negative.");
        _device = device;
        Length = floats;
        _address = CudaApi.MemAlloc(Math.Max(1, floats) * sizeof(float));
    }

    /// <summary>Number of floats.</summary>
    public long Length { get; }

    /// <summary>Bytes.</summary>
    public long Bytes => Length * sizeof(float);

    /// <summary>The device address.</summary>
    public ulong Address => _address != 0 ? _address : throw new ObjectDisposedException(nameof(DeviceBuffer));

    /// <summary>The device address as the generated schedules take it (never dereferenced on the host).</summary>
    public unsafe Ptr Ptr => new((float*)(nuint)Address);

    /// <summary>Copies host floats in, waiting for the copy.</summary>
    public unsafe void Upload(ReadOnlySpan<float> source, long offset = 0)
    {
        CheckRange(offset, source.Length);
        fixed (float* s = source)
        {
            CudaApi.CopyHostToDevice(Address + (ulong)(offset * sizeof(float)), s, (long)source.Length * sizeof(float), _device.Stream);
            _device.Synchronize();
        }
    }

    /// <summary>Copies <paramref name="count"/> floats from host memory in, waiting for the copy.</summary>
    public unsafe void Upload(Ptr source, long count, long offset = 0)
    {
        if (count < 0 || offset < 0 || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"[{offset}, {offset + count}) is outside the device buffer of {Length} floats.");
        CudaApi.CopyHostToDevice(Address + (ulong)(offset * sizeof(float)), (float*)source, count * sizeof(float), _device.Stream);
        _device.Synchronize();
    }

    /// <summary>Copies <paramref name="count"/> floats out to host memory, waiting for the copy.</summary>
    public unsafe void Download(Ptr destination, long count, long offset = 0)
    {
        if (count < 0 || offset < 0 || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"[{offset}, {offset + count}) is outside the device buffer of {Length} floats.");
        CudaApi.CopyDeviceToHost((float*)destination, Address + (ulong)(offset * sizeof(float)), count * sizeof(float), _device.Stream);
        _device.Synchronize();
    }

    /// <summary>Copies floats out to the host, waiting for the copy.</summary>
    public unsafe void Download(Span<float> destination, long offset = 0)
    {
        CheckRange(offset, destination.Length);
        fixed (float* d = destination)
        {
            CudaApi.CopyDeviceToHost(d, Address + (ulong)(offset * sizeof(float)), (long)destination.Length * sizeof(float), _device.Stream);
            _device.Synchronize();
        }
    }

    /// <summary>The whole buffer on the host.</summary>
    public float[] ToArray()
    {
        var values = new float[checked((int)Length)];
        Download(values);
        return values;
    }

    /// <summary>Zeroes the buffer on the device's stream (asynchronously).</summary>
    public void Clear() => CudaApi.MemsetD32(Address, 0, Length, _device.Stream);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_address == 0) return;
        CudaApi.MemFree(_address);
        _address = 0;
    }

    private void CheckRange(long offset, int count)
    {
        if (offset < 0 || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"[{offset}, {offset + count}) is outside the device buffer of {Length} floats.");
    }
}
