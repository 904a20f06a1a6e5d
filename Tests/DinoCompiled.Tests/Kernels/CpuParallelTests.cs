// The worker pool: every item runs exactly once, nested dispatches run inline, failures
// propagate without breaking the pool, and concurrent callers take turns safely.
using System;
using System.Threading;
using System.Threading.Tasks;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class CpuParallelTests
{
    private struct CountingBody : IParallelBody
    {
        public int[] Hits;
        public int[] Workers;

        public void Invoke(int index)
        {
            Interlocked.Increment(ref Hits[index]);
            Workers[index] = CpuParallel.WorkerIndex;
        }
    }

    private struct NestingBody : IParallelBody
    {
        public int[] Hits;

        public void Invoke(int index)
        {
            var inner = new CountingBody { Hits = Hits, Workers = new int[Hits.Length] };
            Assert.True(CpuParallel.IsInsideBody);
            CpuParallel.For(Hits.Length, ref inner);
        }
    }

    private struct FailingBody : IParallelBody
    {
        public void Invoke(int index)
        {
            if (index == 17) throw new InvalidOperationException("item 17");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void EveryItemRunsExactlyOnce(int count)
    {
        var body = new CountingBody { Hits = new int[count], Workers = new int[count] };
        CpuParallel.For(count, ref body);
        Assert.All(body.Hits, h => Assert.Equal(1, h));
        Assert.All(body.Workers, w => Assert.InRange(w, 0, 255));
        Assert.False(CpuParallel.IsInsideBody);
    }

    [Fact]
    public void NestedDispatchRunsInline()
    {
        var body = new NestingBody { Hits = new int[10] };
        CpuParallel.For(4, ref body);
        Assert.All(body.Hits, h => Assert.Equal(4, h));
    }

    [Fact]
    public void FailuresPropagateAndThePoolSurvives()
    {
        var failing = new FailingBody();
        var error = Assert.Throws<InvalidOperationException>(() => CpuParallel.For(100, ref failing));
        Assert.Equal("item 17", error.Message);
        EveryItemRunsExactlyOnce(500);
    }

    [Fact]
    public void RejectsInvalidThreadCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuParallel.ThreadCount = 0);
        Assert.True(CpuParallel.ThreadCount >= 1);
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        // Four threads run GEMMs at once; each must see its own result (shared scratch is guarded).
        const int m = 50, n = 70, k = 300;
        float[] a = KernelTestData.Uniform(1, m * k), b = KernelTestData.Uniform(2, k * n);
        float[] expected = new float[m * n];
        Gemm.Compute(m, n, k, a, k, false, b, n, false, expected, n, 0f);
        Parallel.For(0, 4, _ =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                float[] c = KernelTestData.Poisoned(m * n);
                Gemm.Compute(m, n, k, a, k, false, b, n, false, c, n, 0f);
                KernelAssert.BitwiseEqual(expected, c, "concurrent GEMM");
            }
        });
    }
}
