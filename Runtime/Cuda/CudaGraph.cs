using System;

namespace DinoCompiled.Cuda;

/// <summary>
/// A captured and instantiated CUDA graph: the kernels, GEMMs, copies and memsets one delegate queues on a device's
/// stream, replayed with one launch (hundreds of launches of a DINO step become one).
/// </summary>
internal sealed class CudaGraph : IDisposable
{
    private readonly CudaDevice _device;
    private nint _graph, _executable;

    private CudaGraph(CudaDevice device, nint graph, nint executable)
    {
        _device = device;
        _graph = graph;
        _executable = executable;
    }

    /// <summary>Captures what <paramref name="queue"/> puts on the stream (nothing runs during capture) and instantiates it.</summary>
    /// <remarks>
    /// When queueing fails the capture is still ended (so the stream leaves capture mode and is usable again) and the
    /// partial graph destroyed, without letting the end-capture status (CUDA_ERROR_STREAM_CAPTURE_INVALIDATED after a
    /// failed call) replace the exception that explains the failure.
    /// </remarks>
    public static CudaGraph Capture(CudaDevice device, Action queue)
    {
        CudaApi.StreamBeginCapture(device.Stream);
        try
        {
            queue();
        }
        catch
        {
            if (CudaApi.TryStreamEndCapture(device.Stream, out nint partial) && partial != 0) _ = CudaApi.TryGraphDestroy(partial);
            throw;
        }
        nint graph = CudaApi.StreamEndCapture(device.Stream);
        try
        {
            return new CudaGraph(device, graph, CudaApi.GraphInstantiate(graph));
        }
        catch
        {
            _ = CudaApi.TryGraphDestroy(graph);
            throw;
        }
    }

    /// <summary>Replays the graph on the device's stream.</summary>
    public void Launch() => CudaApi.GraphLaunch(_executable, _device.Stream);

    public void Dispose()
    {
        if (_executable != 0) CudaApi.GraphExecDestroy(_executable);
        if (_graph != 0) CudaApi.GraphDestroy(_graph);
        _executable = _graph = 0;
    }
}
