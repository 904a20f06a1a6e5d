using System;
using System.Text;
using System.Threading;
using DinoCompiled.Distributed.Interop;

namespace DinoCompiled.Distributed;

/// <summary>
/// The world communicator of an MPI job (Open MPI, bound through <see cref="MpiNative"/>). <see cref="Initialize"/> calls
/// <c>MPI_Init_thread</c> at <c>MPI_THREAD_SERIALIZED</c>, because the gradient buckets are reduced on a thread of their
/// own while the backward runs (never two MPI calls at once); errors return to the caller (<c>MPI_ERRORS_RETURN</c>)
/// so that a failure is one line naming the call, and the program, not MPI, decides to abort the job.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    // MPI counts are ints: larger buffers go in slices of this many elements.
    private const int MaxCount = 1 << 30;
    private readonly MpiHandles _handles;
    private bool _finalized;

    private MpiCommunicator(MpiHandles handles, int rank, int size, string engine)
    {
        _handles = handles;
        Rank = rank;
        Size = size;
        Engine = engine;
    }

    /// <inheritdoc/>
    public string Engine { get; }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>Whether Open MPI's launcher started this process (<c>mpirun</c> sets <c>OMPI_COMM_WORLD_SIZE</c>).</summary>
    public static bool LaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is { Length: > 0 };

    /// <summary>
    /// This process's rank among the job's ranks on this machine (Open MPI's <c>OMPI_COMM_WORLD_LOCAL_RANK</c>; 0 when
    /// not launched by mpirun): the GPU ordinal a GPU rank takes.
    /// </summary>
    public static int LocalRank => int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_RANK"), out int rank) && rank >= 0 ? rank : 0;

    /// <summary>Initializes MPI once for this process and returns the world communicator.</summary>
    /// <exception cref="MpiException">No Open MPI here, or its initialization failed.</exception>
    public static MpiCommunicator Initialize()
    {
        var probe = MpiLibrary.Probe();
        if (!probe.Found) throw new MpiException(probe.Message!);
        var handles = MpiHandles.Read(probe.Handle, out string? missing)
            ?? throw new MpiException($"{probe.LoadedName} is not Open MPI (it exports no {missing}); the MPI binding reads Open MPI's predefined handles");
        int initialized;
        Check(MpiNative.MPI_Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            int provided;
            Check(MpiNative.MPI_Init_thread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
            if (provided < MpiNative.ThreadSerialized)
                throw new MpiException($"MPI_Init_thread gave thread level {provided}; the gradient buckets need MPI_THREAD_SERIALIZED ({MpiNative.ThreadSerialized})");
        }
        Check(MpiNative.MPI_Comm_set_errhandler(handles.CommWorld, handles.ErrorsReturn), "MPI_Comm_set_errhandler");
        int rank, size;
        Check(MpiNative.MPI_Comm_rank(handles.CommWorld, &rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(handles.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(handles, rank, size, LibraryVersion());
    }

    /// <inheritdoc/>
    public void AllReduceSum(float* buffer, long count)
    {
        for (long start = 0; start < count; start += MaxCount)
            Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, buffer + start, (int)Math.Min(MaxCount, count - start), _handles.Float, _handles.Sum, _handles.CommWorld), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void AllReduceSum(double* buffer, long count)
    {
        for (long start = 0; start < count; start += MaxCount)
            Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, buffer + start, (int)Math.Min(MaxCount, count - start), _handles.Double, _handles.Sum, _handles.CommWorld), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void AllGather(float* send, long count, float* receive)
    {
        if (count > MaxCount) throw new ArgumentOutOfRangeException(nameof(count), count, $"An all-gather sends at most {MaxCount} floats per rank.");
        Check(MpiNative.MPI_Allgather(send, (int)count, _handles.Float, receive, (int)count, _handles.Float, _handles.CommWorld), "MPI_Allgather");
    }

    /// <inheritdoc/>
    public void Broadcast(void* buffer, long bytes, int root)
    {
        for (long start = 0; start < bytes; start += MaxCount)
            Check(MpiNative.MPI_Bcast((byte*)buffer + start, (int)Math.Min(MaxCount, bytes - start), _handles.Byte, root, _handles.CommWorld), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        // A blocking MPI_Barrier busy-polls: the ranks that wait for rank 0's evaluation would take the cores it evaluates
        // on. A non-blocking barrier tested every millisecond waits as cheaply.
        nint request;
        Check(MpiNative.MPI_Ibarrier(_handles.CommWorld, &request), "MPI_Ibarrier");
        int done = 0;
        while (true)
        {
            Check(MpiNative.MPI_Test(&request, &done, null), "MPI_Test");
            if (done != 0) return;
            Thread.Sleep(1);
        }
    }

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        MpiNative.MPI_Abort(_handles.CommWorld, exitCode);
        // MPI_Abort does not return; should it, the process still ends.
        Environment.Exit(exitCode);
    }

    /// <summary>Finalizes MPI (every rank must, after its last collective).</summary>
    public void Dispose()
    {
        if (_finalized) return;
        _finalized = true;
        int finalized;
        if (MpiNative.MPI_Finalized(&finalized) == 0 && finalized == 0) MpiNative.MPI_Finalize();
    }

    private static string LibraryVersion()
    {
        byte* text = stackalloc byte[MpiNative.MaxString + 1];
        int length;
        Check(MpiNative.MPI_Get_library_version(text, &length), "MPI_Get_library_version");
        // "Open MPI v4.1.4, package: Debian OpenMPI, ident: 4.1.4, repo rev: ..., May 26, 2022": the part before the first comma.
        string version = Encoding.UTF8.GetString(text, Math.Clamp(length, 0, MpiNative.MaxString)).TrimEnd('\0', '\n', ' ');
        int comma = version.IndexOf(',');
        return comma > 0 ? version[..comma] : version;
    }

    private static void Check(int code, string call)
    {
        if (code == 0) return;
        byte* text = stackalloc byte[MpiNative.MaxString + 1];
        int length = 0;
        string reason = MpiNative.MPI_Error_string(code, text, &length) == 0
            ? Encoding.UTF8.GetString(text, Math.Clamp(length, 0, MpiNative.MaxString)).ReplaceLineEndings(" ").Trim()
            : "unknown error";
        throw new MpiException($"{call} failed: {reason} (MPI error {code})");
    }
}
