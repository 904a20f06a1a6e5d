using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>A fact about what happens without a GPU: skipped, with the reason, on a machine that has one.</summary>
public sealed class NoGpuFactAttribute : FactAttribute
{
    public NoGpuFactAttribute()
    {
        if (CudaDevice.TryOpen(0, out var device, out _))
        {
            device!.Dispose();
            Skip = "this machine has a GPU; the no-GPU messages cannot be seen here";
        }
    }
}
