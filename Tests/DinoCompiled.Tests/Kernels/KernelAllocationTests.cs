// A training step must not allocate managed memory: after warm-up calls (which create the
// worker threads and grow the native scratch), repeated calls of every kernel allocate
// zero bytes on the calling thread and on every pool worker. The per-thread counters are
// read on each worker through a barrier body; the process-wide counter is not used
// because the test host allocates on its own threads (result reporting) meanwhile. The
// calling thread (worker 0) is a thread of the test's own: xunit's test threads also run
// the runner's posted work, which once allocated between the two readings in CI.
using System;
using System.Threading;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

[Collection(SerialKernelCollection.Name)]
public sealed class KernelAllocationTests
{
    /// <summary>One item per pool thread; each waits until all have read their own counter.</summary>
    private struct ReadCounters : IParallelBody
    {
        public long[] Bytes;
        public int[] Arrived;

        public void Invoke(int index)
        {
            Bytes[CpuParallel.WorkerIndex] = GC.GetAllocatedBytesForCurrentThread();
            Interlocked.Increment(ref Arrived[0]);
            var spin = new SpinWait();
            while (Volatile.Read(ref Arrived[0]) < Bytes.Length) spin.SpinOnce();
        }
    }

    [Fact]
    public void RepeatedKernelCallsAllocateNothingOnAnyPoolThread()
    {
        Exception? failure = null;
        var caller = new Thread(() =>
        {
            try
            {
                Measure();
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        caller.Start();
        caller.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    private static void Measure()
    {
        int threads = Math.Max(2, CpuParallel.ThreadCount);
        int original = CpuParallel.ThreadCount;
        try
        {
            CpuParallel.ThreadCount = threads;
            var workload = new KernelWorkload(seed: 7);
            for (int i = 0; i < 3; i++) workload.Run();
            var before = new ReadCounters { Bytes = new long[threads], Arrived = new int[1] };
            var after = new ReadCounters { Bytes = new long[threads], Arrived = new int[1] };
            CpuParallel.For(threads, ref before);

            for (int i = 0; i < 5; i++) workload.Run();

            CpuParallel.For(threads, ref after);
            for (int t = 0; t < threads; t++)
            {
                Assert.True(after.Bytes[t] == before.Bytes[t], $"pool thread {t} allocated {after.Bytes[t] - before.Bytes[t]} bytes");
            }
        }
        finally
        {
            CpuParallel.ThreadCount = original;
        }
    }
}
