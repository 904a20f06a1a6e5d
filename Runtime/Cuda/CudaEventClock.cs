using System;
using System.Collections.Generic;

namespace DinoCompiled.Cuda;

/// <summary>
/// <see cref="ICudaEventClock"/> on CUDA events recorded on the device's stream: one event per mark, created the first
/// time a mark number is used and reused by later steps, so a timed step allocates nothing once warm.
/// </summary>
public sealed class CudaEventClock : ICudaEventClock, IDisposable
{
    private readonly CudaDevice _device;
    private readonly List<nint> _events = new();
    private int _recorded;

    /// <summary>Marks on <paramref name="device"/>'s stream.</summary>
    public CudaEventClock(CudaDevice device) => _device = device;

    /// <inheritdoc/>
    public void Record(int index)
    {
        if (index > _events.Count) throw new ArgumentOutOfRangeException(nameof(index), index, "Marks are recorded in order from 0.");
        if (index == _events.Count) _events.Add(CudaApi.EventCreate());
        CudaApi.EventRecord(_events[index], _device.Stream);
        _recorded = index + 1;
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        if (_recorded > 0) CudaApi.EventSynchronize(_events[_recorded - 1]);
    }

    /// <inheritdoc/>
    public double Seconds(int from, int to) => CudaApi.EventElapsedMilliseconds(_events[from], _events[to]) * 1e-3;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var e in _events) CudaApi.TryEventDestroy(e);
        _events.Clear();
    }
}
