using DinoCompiled.Cuda;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// A fact that needs libnvrtc: skipped, with the probe's one-line reason, on a machine without it. CI installs NVRTC and
/// sets <c>DINO_REQUIRE_NVRTC=1</c>, which turns the skip into a run (and so a failure) so a lost library cannot pass quietly.
/// </summary>
public sealed class NvrtcFactAttribute : FactAttribute
{
    /// <summary>Skips unless NVRTC loads or is required.</summary>
    public NvrtcFactAttribute() => Skip = SkipReason();

    /// <summary>Null when NVRTC loads or is required; else the probe's reason.</summary>
    internal static string? SkipReason()
    {
        bool loaded = CudaLibraries.TryProbe(CudaLibrary.Nvrtc, out var probe);
        return MachineRequirement.SkipReason(loaded ? null : probe.Message, "DINO_REQUIRE_NVRTC", "apt-get install libnvrtc11.2, from Debian's non-free");
    }
}
