using System;

namespace DinoCompiled.Cuda;

/// <summary>
/// A second stream of a device, ordered against the device's own with events: work queued here after <see cref="Fork"/>
/// starts once everything queued on the device's stream before it is done, and work queued on the device's stream after
/// <see cref="Join"/> waits for everything queued here before it. The data-parallel GPU step reduces its gradient buckets
/// here, so the head's all-reduce runs while the backbone's backward runs on the device's stream.
/// </summary>
public sealed class CudaSideStream : IDisposable
{
    private readonly CudaDevice _device;
    private nint _forked, _joined;

    /// <summary>Creates the stream and its two ordering events on <paramref name="device"/>.</summary>
    public CudaSideStream(CudaDevice device)
    {
        _device = device;
        Stream = CudaApi.StreamCreate();
        try
        {
            _forked = CudaApi.EventCreateForOrdering();
            _joined = CudaApi.EventCreateForOrdering();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The side stream's handle.</summary>
    internal nint Stream { get; private set; }

    /// <summary>What is queued here from now on waits for what the device's stream has queued so far.</summary>
    public void Fork()
    {
        CudaApi.EventRecord(_forked, _device.Stream);
        CudaApi.StreamWaitEvent(Stream, _forked);
    }

    /// <summary>What the device's stream queues from now on waits for what is queued here so far.</summary>
    public void Join()
    {
        CudaApi.EventRecord(_joined, Stream);
        CudaApi.StreamWaitEvent(_device.Stream, _joined);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            // A bucket may still be in flight (a step that threw): it must finish before its stream goes.
            if (Stream != 0) CudaApi.StreamSynchronize(Stream);
        }
        finally
        {
            if (Stream != 0) CudaApi.TryStreamDestroy(Stream);
            if (_forked != 0) CudaApi.TryEventDestroy(_forked);
            if (_joined != 0) CudaApi.TryEventDestroy(_joined);
            Stream = _forked = _joined = 0;
        }
    }
}
