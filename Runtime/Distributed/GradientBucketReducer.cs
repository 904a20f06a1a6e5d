using System;
using System.Threading;

namespace DinoCompiled.Distributed;

/// <summary>
/// Sums a bucket of the flat gradient over the ranks on a thread of its own, so that the all-reduce of the layers the
/// backward has finished (the head: its backward runs first) overlaps the backward of the rest (the backbone). One bucket
/// is in flight at a time, and the caller makes no other collective call until <see cref="Wait"/> returns: MPI at
/// <c>MPI_THREAD_SERIALIZED</c> allows that, and a step allocates nothing.
/// </summary>
public sealed unsafe class GradientBucketReducer : IDisposable
{
    private readonly ICommunicator _communicator;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _started = new(0), _finished = new(0);
    private float* _bucket;
    private long _count;
    private bool _inFlight, _stopping;
    private Exception? _failure;

    /// <summary>A reducer over <paramref name="communicator"/> with its thread started (it sleeps until a bucket comes).</summary>
    public GradientBucketReducer(ICommunicator communicator)
    {
        _communicator = communicator;
        _thread = new Thread(Loop) { IsBackground = true, Name = "gradient all-reduce" };
        _thread.Start();
    }

    /// <summary>Starts summing <paramref name="count"/> floats at <paramref name="bucket"/> over the ranks, in place.</summary>
    public void Start(float* bucket, long count)
    {
        if (_inFlight) throw new InvalidOperationException("A gradient bucket is already being reduced; wait for it first.");
        _bucket = bucket;
        _count = count;
        _inFlight = true;
        _started.Release();
    }

    /// <summary>Waits for the bucket in flight; rethrows what its all-reduce threw.</summary>
    public void Wait()
    {
        if (!_inFlight) return;
        _finished.Wait();
        _inFlight = false;
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
            throw new MpiException(failure.Message, failure);
    }

    /// <summary>Stops the thread (after the bucket in flight).</summary>
    public void Dispose()
    {
        if (_inFlight) _finished.Wait();
        _stopping = true;
        _started.Release();
        _thread.Join();
        _started.Dispose();
        _finished.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _started.Wait();
            if (_stopping) return;
            try
            {
                _communicator.AllReduceSum(_bucket, _count);
            }
            catch (Exception exception)
            {
                _failure = exception;
            }
            _finished.Release();
        }
    }
}
