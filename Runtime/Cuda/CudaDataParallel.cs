using System;
using System.Runtime.InteropServices;
using DinoCompiled.Compiled;
using DinoCompiled.Distributed;

namespace DinoCompiled.Cuda;

/// <summary>
/// What a GPU rank adds to the compiled step in a data-parallel run (docs/DISTRIBUTED.md), all through NCCL on device
/// buffers: the flat gradient summed over the ranks in two buckets on a side stream, the head's (the flat buffer's
/// tail, 51 % of ViT-S/16's parameters) started as soon as the head's backward is queued so that it overlaps the
/// backbone's backward, then the backbone's; and the center's column sums and the loss summed in one all-reduce of
/// doubles. The step's loss gradient is already normalized by the global batch (<see cref="CudaStepLayout.GradientBatch"/>),
/// so the sum over the ranks is the gradient of the global mean loss, with no pass to divide it.
/// </summary>
internal sealed unsafe class CudaDataParallel : IDisposable
{
    private readonly NcclCommunicator _nccl;
    private readonly CudaScheduleOps _ops;
    private readonly CudaSideStream _side;
    private readonly DeviceBuffer _sums;
    private readonly int _columnSums, _updateFromSums, _outDim;
    private readonly long _headOffset, _flatLength;
    private Ptr _gradients;

    /// <param name="device">This rank's GPU.</param>
    /// <param name="ops">The model's module on it (the center kernels).</param>
    /// <param name="nccl">The ranks' NCCL communicator.</param>
    /// <param name="parameters">The flat layout: the head's tensors follow the backbone's.</param>
    /// <param name="outDim">K, the head's output width.</param>
    public CudaDataParallel(CudaDevice device, CudaScheduleOps ops, NcclCommunicator nccl, ParameterTable parameters, int outDim)
    {
        _nccl = nccl;
        _ops = ops;
        _outDim = outDim;
        _flatLength = parameters.FlatLength;
        _headOffset = _flatLength;
        foreach (var parameter in parameters)
            if (parameter.Part == ModelPart.Head) { _headOffset = parameter.Offset; break; }
        _columnSums = ops.Module.Source.IndexOf("dino_center_column_sums");
        _updateFromSums = ops.Module.Source.IndexOf("dino_center_update_sums");
        _side = new CudaSideStream(device);
        // K column sums and the loss, doubles.
        _sums = device.Allocate(2L * (outDim + 1));
        HeadGradientsDone = StartHeadBucket;
    }

    /// <summary>The ranks.</summary>
    public NcclCommunicator Communicator => _nccl;

    /// <summary>The step's hook (<see cref="CudaDinoStep{TModel}.HeadGradientsDone"/>): starts the head's bucket.</summary>
    public Action HeadGradientsDone { get; }

    /// <summary>The gradient buffer of the step about to be queued (the trainer's, fixed for a run).</summary>
    public void BeginStep(DeviceBuffer gradients) => _gradients = gradients.Ptr;

    /// <summary>
    /// After the step is queued: the backbone's bucket on the side stream behind the head's, and the device's stream made
    /// to wait for both, so that clipping and AdamW see the sum over the ranks.
    /// </summary>
    public void FinishGradients()
    {
        _side.Fork();
        _nccl.QueueAllReduceSum<float>(_gradients, _headOffset, _side.Stream);
        _side.Join();
    }

    /// <summary>Queues this rank's column sums of its teacher outputs [rows, K] (device stream).</summary>
    public void QueueCenterSums(Ptr teacherLogits, int rows) =>
        _ops.Launch(_columnSums, (uint)((_outDim + 255) / 256), 1, 256, 0, new KernelArgs().Ptr(teacherLogits).Ptr(_sums.Ptr).Int(rows));

    /// <summary>
    /// Sums the center's column sums and the ranks' shard losses over the ranks, and returns the global loss: the mean of
    /// the shards' mean losses (equal shards). Waits for the device.
    /// </summary>
    public double ReduceLoss(double shardLoss)
    {
        Span<double> loss = [shardLoss];
        _sums.Upload(MemoryMarshal.Cast<double, float>(loss), offset: 2L * _outDim);
        _nccl.QueueAllReduceSum<double>(_sums.Ptr, _outDim + 1, _nccl.DeviceStream);
        _sums.Download(MemoryMarshal.Cast<double, float>(loss), offset: 2L * _outDim);
        return loss[0] / _nccl.Size;
    }

    /// <summary>center = m·center + (1 − m)·(summed columns) / <paramref name="globalRows"/> (2B of the global batch).</summary>
    public void UpdateCenter(Ptr center, long globalRows, float momentum) =>
        _ops.Launch(_updateFromSums, (uint)((_outDim + 255) / 256), 1, 256, 0, new KernelArgs().Ptr(_sums.Ptr).Ptr(center).Long(globalRows).Float(momentum));

    private void StartHeadBucket()
    {
        _side.Fork();
        _nccl.QueueAllReduceSum<float>(_gradients + _headOffset, _flatLength - _headOffset, _side.Stream);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _side.Dispose();
        _sums.Dispose();
    }
}
