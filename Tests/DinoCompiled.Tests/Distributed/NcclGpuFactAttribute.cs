using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Distributed;

/// <summary>A fact that needs an NVIDIA GPU and libnccl: skipped, with what is missing, where either is absent.</summary>
public sealed class NcclGpuFactAttribute : FactAttribute
{
    private static readonly string? s_missing = Probe();

    public NcclGpuFactAttribute()
    {
        if (s_missing is not null) Skip = s_missing;
    }

    private static string? Probe()
    {
        if (!CudaDevice.TryOpen(0, out var device, out string reason)) return "needs an NVIDIA GPU: " + reason;
        device!.Dispose();
        var nccl = CudaLibraries.Probe(CudaLibrary.Nccl);
        return nccl.Found ? null : "needs NCCL: " + nccl.Message;
    }
}
