using System;

namespace DinoCompiled.Distributed;

/// <summary>
/// The collectives data-parallel DINO needs, on whatever engine the job runs on: a single process (no-op), MPI (CPU ranks)
/// or NCCL (GPU ranks, device pointers). Every rank calls every collective in the same order with the same counts; the
/// buffers are the caller's (host memory for MPI, device memory for NCCL) and are reduced in place.
/// </summary>
public unsafe interface ICommunicator : IDisposable
{
    /// <summary>The engine and its version, for the run's first lines (<c>Open MPI v4.1.4</c>).</summary>
    string Engine { get; }

    /// <summary>This process's rank, 0 to <see cref="Size"/> − 1; rank 0 writes the run folder.</summary>
    int Rank { get; }

    /// <summary>The number of ranks.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="buffer"/> on every rank by the element-wise sum over the ranks.</summary>
    void AllReduceSum(float* buffer, long count);

    /// <summary>As <see cref="AllReduceSum(float*, long)"/> for doubles (the loss, the center's column sums).</summary>
    void AllReduceSum(double* buffer, long count);

    /// <summary>
    /// Gathers <paramref name="count"/> floats from every rank into <paramref name="receive"/> on every rank, rank r's at
    /// <c>r · count</c>.
    /// </summary>
    void AllGather(float* send, long count, float* receive);

    /// <summary>Copies <paramref name="bytes"/> bytes of rank <paramref name="root"/>'s buffer into every rank's.</summary>
    void Broadcast(void* buffer, long bytes, int root);

    /// <summary>Returns once every rank has called it. Waits without spinning a core (evaluations on rank 0 can be long).</summary>
    void Barrier();

    /// <summary>Ends every rank of the job with <paramref name="exitCode"/> (MPI_Abort); a single process just exits.</summary>
    void Abort(int exitCode);
}
