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
    public static CudaGraph Capture(CudaDevice device, Action queue)
    {
        CudaApi.StreamBeginCapture(device.Stream);
        nint graph;
        try
        {
            queue();
        }
        finally
        {
            // End the capture even when queueing failed, so the stream is usable again.
            graph = CudaApi.StreamEndCapture(device.Stream);
        }
        return new CudaGraph(device, graph, CudaApi.GraphInstantiate(graph));
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
