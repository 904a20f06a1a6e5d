// A persistent worker pool for the CPU kernels. A training step calls thousands of
// kernels, so a dispatch must not allocate (no Task, no closure, no delegate) and must be
// cheap: the caller publishes a function pointer and a state pointer, bumps a generation
// counter, runs items itself and waits for the workers. Workers spin briefly, then sleep.
//
// The caller never waits for a worker that has not started: a worker registers as active
// and then checks that the job is still open; the caller closes the job once every item
// is handed out and waits only for the active workers. On a loaded 2-core machine a
// descheduled worker therefore costs nothing (the caller runs all items itself) instead
// of a scheduler time slice.
//
// Determinism: items are handed out dynamically, but every kernel makes each item's
// result independent of the thread that runs it (no shared accumulators), so outputs
// are bitwise identical for any ThreadCount and any schedule.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace DinoCompiled.Cpu;

/// <summary>Persistent, allocation-free parallel-for used by every CPU kernel.</summary>
public static unsafe class CpuParallel
{
    // Spins before a sleeping wait; a kernel dispatch usually follows the previous one
    // within microseconds, and waking a sleeping thread costs tens of microseconds.
    private const int SpinIterations = 2000;

    // Taken for the whole dispatch so that concurrent callers (for example xunit test
    // classes running in parallel) take turns; Monitor is reentrant for nested use.
    internal static readonly object Gate = new();

    private static readonly object SleepGate = new();
    private static readonly object DoneGate = new();
    private static Thread[] workers = Array.Empty<Thread>();
    private static int threadCount = Math.Max(1, Environment.ProcessorCount);

    // The published job. Written by the caller before the generation bump (a full fence).
    private static delegate*<int, void*, void> jobBody;
    private static void* jobState;
    private static int jobCount;
    private static int jobParticipants;
    private static int nextItem;
    private static int jobClosed = 1;
    private static int activeWorkers;
    private static int generation;
    private static int sleepingWorkers;
    private static int callerSleeping;
    private static Exception? firstFailure;

    [ThreadStatic] private static int workerIndex;
    [ThreadStatic] private static bool insideBody;

    /// <summary>
    /// Number of threads a dispatch uses, the calling thread included (default:
    /// <see cref="Environment.ProcessorCount"/>). Set it at startup; kernels split work by
    /// shape only, so results do not depend on it.
    /// </summary>
    public static int ThreadCount
    {
        get => Volatile.Read(ref threadCount);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 256);
            lock (Gate)
            {
                Volatile.Write(ref threadCount, value);
            }
        }
    }

    /// <summary>
    /// Index of the current thread within a dispatch: 0 for the calling thread, 1..ThreadCount-1
    /// for workers. Kernels use it to pick per-thread scratch (<see cref="CpuScratch"/>).
    /// </summary>
    public static int WorkerIndex => workerIndex;

    /// <summary>True while the current thread runs the body of a <see cref="For"/>.</summary>
    public static bool IsInsideBody => insideBody;

    /// <summary>
    /// Runs <paramref name="body"/>(i, <paramref name="state"/>) for every i in [0, count),
    /// on the pool and the calling thread, and returns when all are done. Allocates nothing.
    /// A call from inside a body runs serially on the current thread.
    /// </summary>
    public static void For(int count, delegate*<int, void*, void> body, void* state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (body == null) throw new ArgumentNullException(nameof(body));
        if (count == 0) return;

        if (insideBody)
        {
            for (int i = 0; i < count; i++) body(i, state);
            return;
        }

        lock (Gate)
        {
            int participants = Math.Min(ThreadCount, count);
            if (participants == 1)
            {
                RunSerially(count, body, state);
                return;
            }

            EnsureWorkers(participants - 1);
            jobBody = body;
            jobState = state;
            jobCount = count;
            jobParticipants = participants;
            nextItem = 0;
            firstFailure = null;
            // Open the job after its fields (a worker that joins reads them after seeing it
            // open), then announce it.
            Volatile.Write(ref jobClosed, 0);
            Interlocked.Increment(ref generation);
            if (Volatile.Read(ref sleepingWorkers) > 0)
            {
                lock (SleepGate) Monitor.PulseAll(SleepGate);
            }

            insideBody = true;
            try
            {
                Drain();
            }
            catch (Exception ex)
            {
                RecordFailure(ex);
            }
            finally
            {
                insideBody = false;
            }

            // Every item has been handed out: late workers must not join any more.
            WaitForWorkers();
            jobBody = null;
            jobState = null;

            if (firstFailure is { } failure)
            {
                firstFailure = null;
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
    }

    /// <summary>
    /// Struct-body overload for callers without function pointers (tests, managed code).
    /// The body is passed by reference and is not copied per item; allocates nothing.
    /// </summary>
    public static void For<TBody>(int count, ref TBody body) where TBody : struct, IParallelBody
    {
        // Pinned: the body may live inside a heap object that the GC could otherwise move.
        fixed (byte* state = &Unsafe.As<TBody, byte>(ref body))
        {
            For(count, &InvokeStructBody<TBody>, state);
        }
    }

    /// <summary>Throws when called from a parallel body: kernels with shared scratch are not reentrant.</summary>
    internal static void ThrowIfInsideBody()
    {
        if (insideBody) throw new InvalidOperationException("This CPU kernel cannot be called from inside a CpuParallel.For body.");
    }

    private static void InvokeStructBody<TBody>(int index, void* state) where TBody : struct, IParallelBody
    {
        Unsafe.AsRef<TBody>(state).Invoke(index);
    }

    private static void RunSerially(int count, delegate*<int, void*, void> body, void* state)
    {
        insideBody = true;
        try
        {
            for (int i = 0; i < count; i++) body(i, state);
        }
        finally
        {
            insideBody = false;
        }
    }

    private static void Drain()
    {
        delegate*<int, void*, void> body = jobBody;
        void* state = jobState;
        int count = jobCount;
        while (true)
        {
            int item = Interlocked.Increment(ref nextItem) - 1;
            if (item >= count) return;
            body(item, state);
        }
    }

    private static void RecordFailure(Exception ex)
    {
        Interlocked.CompareExchange(ref firstFailure, ex, null);
        // Stop handing out items so that every thread returns promptly.
        Volatile.Write(ref nextItem, int.MaxValue / 2);
    }

    private static void WaitForWorkers()
    {
        Interlocked.Exchange(ref jobClosed, 1);
        for (int spin = 0; spin < SpinIterations * 8; spin++)
        {
            if (Volatile.Read(ref activeWorkers) == 0) return;
            if (spin < SpinIterations) Thread.SpinWait(20);
            else Thread.Yield();
        }

        lock (DoneGate)
        {
            Interlocked.Exchange(ref callerSleeping, 1);
            while (Volatile.Read(ref activeWorkers) != 0) Monitor.Wait(DoneGate);
            Interlocked.Exchange(ref callerSleeping, 0);
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (workers.Length >= needed) return;
        var grown = new Thread[needed];
        Array.Copy(workers, grown, workers.Length);
        for (int i = workers.Length; i < needed; i++)
        {
            int index = i + 1;
            // The worker must see the very next generation bump, even if it starts late.
            int startGeneration = Volatile.Read(ref generation);
            var thread = new Thread(() => WorkerLoop(index, startGeneration), 256 * 1024)
            {
                IsBackground = true,
                Name = "DinoCompiled CPU worker " + index,
            };
            grown[i] = thread;
            thread.Start();
        }

        workers = grown;
    }

    private static void WorkerLoop(int index, int seen)
    {
        workerIndex = index;
        while (true)
        {
            seen = WaitForNextGeneration(seen);

            // Register, then check that the job is still open (Dekker with the caller's
            // close-then-wait): either the caller waits for this worker or it backs out.
            Interlocked.Increment(ref activeWorkers);
            if (Volatile.Read(ref jobClosed) == 0 && index < Volatile.Read(ref jobParticipants))
            {
                insideBody = true;
                try
                {
                    Drain();
                }
                catch (Exception ex)
                {
                    RecordFailure(ex);
                }
                finally
                {
                    insideBody = false;
                }
            }

            if (Interlocked.Decrement(ref activeWorkers) == 0 && Volatile.Read(ref callerSleeping) != 0)
            {
                lock (DoneGate) Monitor.PulseAll(DoneGate);
            }
        }
    }

    private static int WaitForNextGeneration(int seen)
    {
        for (int spin = 0; spin < SpinIterations; spin++)
        {
            int current = Volatile.Read(ref generation);
            if (current != seen) return current;
            Thread.SpinWait(20);
        }

        lock (SleepGate)
        {
            Interlocked.Increment(ref sleepingWorkers);
            int current;
            while ((current = Volatile.Read(ref generation)) == seen) Monitor.Wait(SleepGate);
            Interlocked.Decrement(ref sleepingWorkers);
            return current;
        }
    }
}
