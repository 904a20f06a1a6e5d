using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>A theory that needs libnvrtc, skipped and required as <see cref="NvrtcFactAttribute"/> is.</summary>
public sealed class NvrtcTheoryAttribute : TheoryAttribute
{
    public NvrtcTheoryAttribute() => Skip = NvrtcFactAttribute.SkipReason();
}
