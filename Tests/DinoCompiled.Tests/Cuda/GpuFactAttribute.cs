using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>A fact that needs an NVIDIA GPU: skipped, with the reason in the test report, where there is no CUDA driver or device.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    private static readonly string? s_missing = Probe();

    public GpuFactAttribute()
    {
        if (s_missing is not null) Skip = "needs an NVIDIA GPU: " + s_missing;
    }

    private static string? Probe()
    {
        if (!CudaDevice.TryOpen(0, out var device, out string reason)) return reason;
        device!.Dispose();
        return null;
    }
}
