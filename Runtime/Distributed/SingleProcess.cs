using System;

namespace DinoCompiled.Distributed;

/// <summary>The world of one process: every collective is the identity, so a one-rank run does exactly what it always did.</summary>
public sealed unsafe class SingleProcess : ICommunicator
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static SingleProcess Instance { get; } = new();

    private SingleProcess()
    {
    }

    /// <inheritdoc/>
    public string Engine => "single process";

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void AllReduceSum(float* buffer, long count)
    {
    }

    /// <inheritdoc/>
    public void AllReduceSum(double* buffer, long count)
    {
    }

    /// <inheritdoc/>
    public void AllGather(float* send, long count, float* receive)
    {
        if (send != receive) Buffer.MemoryCopy(send, receive, count * sizeof(float), count * sizeof(float));
    }

    /// <inheritdoc/>
    public void Broadcast(void* buffer, long bytes, int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "A single process has only rank 0.");
    }

    /// <inheritdoc/>
    public void Barrier()
    {
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
