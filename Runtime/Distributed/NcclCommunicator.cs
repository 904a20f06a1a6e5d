using System;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;
using DinoCompiled.Cuda.Interop;
using DinoCompiled.Distributed.Interop;

namespace DinoCompiled.Distributed;

/// <summary>
/// The GPU ranks' communicator: NCCL over one device per rank, bootstrapped over the job's MPI communicator (rank 0's
/// <c>ncclUniqueId</c> is broadcast, then every rank calls <c>ncclCommInitRank</c>). Its buffers are device pointers;
/// each collective is queued on the device's stream and waited for, so a buffer is reduced when the call returns (the
/// trainer's next kernels are on the same stream either way). Barrier and abort go through the bootstrap communicator.
/// </summary>
public sealed unsafe class NcclCommunicator : ICommunicator
{
    private readonly ICommunicator _bootstrap;
    private readonly CudaDevice _device;
    private nint _comm;

    private NcclCommunicator(ICommunicator bootstrap, CudaDevice device, nint comm, string engine)
    {
        _bootstrap = bootstrap;
        _device = device;
        _comm = comm;
        Engine = engine;
    }

    /// <inheritdoc/>
    public string Engine { get; }

    /// <summary>
    /// The job's host communicator NCCL was bootstrapped over (MPI): for host buffers (the collapse monitor's gathered
    /// outputs, stop flags) and the barrier.
    /// </summary>
    public ICommunicator Bootstrap => _bootstrap;

    /// <inheritdoc/>
    public int Rank => _bootstrap.Rank;

    /// <inheritdoc/>
    public int Size => _bootstrap.Size;

    /// <summary>An NCCL communicator over the ranks of <paramref name="bootstrap"/>, this rank on <paramref name="device"/>.</summary>
    /// <exception cref="CudaLibraryNotFoundException">No libnccl here; the message is one line.</exception>
    /// <exception cref="CudaException">An NCCL call failed.</exception>
    public static NcclCommunicator Create(ICommunicator bootstrap, CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(device);
        CudaLibraries.Require(CudaLibrary.Nccl);
        int version;
        CudaCheck.Nccl(NcclNative.ncclGetVersion(&version), "ncclGetVersion");
        NcclUniqueId id = default;
        if (bootstrap.Rank == 0) CudaCheck.Nccl(NcclNative.ncclGetUniqueId(&id), "ncclGetUniqueId");
        bootstrap.Broadcast(&id, NcclUniqueId.Bytes, root: 0);
        device.MakeCurrent();
        nint comm;
        CudaCheck.Nccl(NcclNative.ncclCommInitRank(&comm, bootstrap.Size, id, bootstrap.Rank), $"ncclCommInitRank(rank {bootstrap.Rank} of {bootstrap.Size})");
        return new NcclCommunicator(bootstrap, device, comm, "NCCL " + FormatVersion(version));
    }

    /// <summary>
    /// ncclGetVersion's code as text: X·1000 + Y·100 + Z up to 2.8, X·10000 + Y·100 + Z from 2.9 (nccl.h's NCCL_VERSION).
    /// </summary>
    internal static string FormatVersion(int code) => code < 10000
        ? $"{code / 1000}.{code / 100 % 10}.{code % 100}"
        : $"{code / 10000}.{code / 100 % 100}.{code % 100}";

    /// <summary>The NCCL element type of a managed element type the communicator sends.</summary>
    internal static NcclDataType DataTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? NcclDataType.Float32
        : typeof(T) == typeof(double) ? NcclDataType.Float64
        : typeof(T) == typeof(byte) ? NcclDataType.Uint8
        : throw new NotSupportedException($"NCCL collectives of {typeof(T).Name} are not used here.");

    /// <inheritdoc/>
    public void AllReduceSum(float* buffer, long count) => AllReduce<float>(buffer, count);

    /// <inheritdoc/>
    public void AllReduceSum(double* buffer, long count) => AllReduce<double>(buffer, count);

    /// <inheritdoc/>
    public void AllGather(float* send, long count, float* receive)
    {
        CudaCheck.Nccl(NcclNative.ncclAllGather(send, receive, checked((nuint)count), (int)NcclDataType.Float32, _comm, _device.Stream), "ncclAllGather");
        _device.Synchronize();
    }

    /// <inheritdoc/>
    public void Broadcast(void* buffer, long bytes, int root)
    {
        CudaCheck.Nccl(NcclNative.ncclBroadcast(buffer, buffer, checked((nuint)bytes), (int)NcclDataType.Uint8, root, _comm, _device.Stream), "ncclBroadcast");
        _device.Synchronize();
    }

    /// <inheritdoc/>
    public void Barrier() => _bootstrap.Barrier();

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        // ncclCommAbort frees NCCL's resources without waiting for peers that may be gone; MPI then ends the job.
        if (_comm != 0) NcclNative.ncclCommAbort(_comm);
        _comm = 0;
        _bootstrap.Abort(exitCode);
    }

    /// <summary>Destroys the NCCL communicator (the bootstrap stays the caller's).</summary>
    public void Dispose()
    {
        if (_comm == 0) return;
        NcclNative.ncclCommDestroy(_comm);
        _comm = 0;
    }

    /// <summary>
    /// Queues the in-place sum over the ranks of <paramref name="count"/> values of type <typeparamref name="T"/> at the
    /// device address <paramref name="buffer"/> on <paramref name="stream"/> and returns without waiting: the buffer is
    /// reduced when the work queued on that stream before it is done, and work queued after it sees the sum.
    /// </summary>
    internal void QueueAllReduceSum<T>(Ptr buffer, long count, nint stream) where T : unmanaged =>
        CudaCheck.Nccl(NcclNative.ncclAllReduce((float*)buffer, (float*)buffer, checked((nuint)count), (int)DataTypeOf<T>(), (int)NcclReduction.Sum, _comm, stream), "ncclAllReduce");

    /// <summary>The device's own stream, for <see cref="QueueAllReduceSum{T}"/> in order with the step's kernels.</summary>
    internal nint DeviceStream => _device.Stream;

    private void AllReduce<T>(void* buffer, long count) where T : unmanaged
    {
        QueueAllReduceSum<T>(new Ptr((float*)buffer), count, _device.Stream);
        _device.Synchronize();
    }
}
