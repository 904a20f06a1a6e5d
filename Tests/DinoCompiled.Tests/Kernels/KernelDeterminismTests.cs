// Bitwise determinism: every kernel gives identical outputs on repeated runs and for
// 1, 2 and 3 threads (blocking and chunking depend on shapes only, and every reduction
// runs in a fixed order on one thread).
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

[Collection(SerialKernelCollection.Name)]
public sealed class KernelDeterminismTests
{
    [Fact]
    public void OutputsAreBitwiseIdenticalAcrossRunsAndThreadCounts()
    {
        int original = CpuParallel.ThreadCount;
        try
        {
            CpuParallel.ThreadCount = 1;
            var reference = new KernelWorkload(seed: 42);
            reference.Run();

            foreach (int threads in new[] { 1, 2, 3, 2 })
            {
                CpuParallel.ThreadCount = threads;
                var again = new KernelWorkload(seed: 42);
                again.Run();
                again.Run();
                Assert.Equal(reference.Loss, again.Loss);
                foreach ((string name, float[] values) in reference.Buffers)
                {
                    KernelAssert.BitwiseEqual(values, again.Buffers[name], $"{name} with {threads} threads");
                }
            }
        }
        finally
        {
            CpuParallel.ThreadCount = original;
        }
    }
}
