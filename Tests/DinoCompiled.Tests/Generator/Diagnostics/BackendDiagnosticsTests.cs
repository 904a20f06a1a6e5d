using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>
/// DINO2001: a model the shape rules accept but the CUDA backend cannot serve is a warning on the model attribute naming
/// the reason; the CPU model is still generated (and builds), the CUDA half is not.
/// </summary>
public sealed class BackendDiagnosticsTests
{
    private const string CpuOnly = ". The model compiles for the CPU only; it does not implement ICudaDinoModel.";

    [Theory]
    [InlineData("OddWidth", "Channels = 1, ImageSize = 16, Patch = 8, EmbedDim = 66, Depth = 1, Heads = 2, LocalCrop = 8", "OutDim = 64",
        "its embedding width 66 is not divisible by 4 (the CUDA kernels read rows as float4)")]
    [InlineData("OddOutDim", "Channels = 1, ImageSize = 16, Patch = 8, EmbedDim = 64, Depth = 1, Heads = 2, LocalCrop = 8", "OutDim = 65",
        "its head's OutDim 65 is not divisible by 4 (the CUDA kernels read rows as float4)")]
    // 128 x 128 patches: 16,385 tokens, whose single score row alone is 64 KiB.
    [InlineData("ManyTokens", "Channels = 1, ImageSize = 1024, Patch = 8, EmbedDim = 16, Depth = 1, Heads = 2, LocalCrop = 16", "OutDim = 64",
        "its attention over 16385 tokens of head dim 8 does not fit the 48 KiB of shared memory of the fp32 attention kernels (one query row needs 65612 bytes)")]
    public void AModelTheCudaBackendCannotServe_IsADino2001Warning_AndTheCpuModelIsGenerated(string className, string backbone, string outDim, string reason)
    {
        var outcome = MarkedDiagnosticAssert.Reports(
            "[{|DINO2001:VisionTransformer(" + backbone + ")|}]\n[DinoHead(" + outDim + ", Hidden = 32, Bottleneck = 16)]\npublic partial class " + className + "\n{\n}\n",
            "The CUDA backend cannot serve '" + className + "': " + reason + CpuOnly);

        Assert.Equal(DiagnosticSeverity.Warning, outcome.GeneratorDiagnostics.Single().Severity);
        Assert.Contains(outcome.Sources, s => s.SourceText.ToString().Contains("partial class " + className + " "));
        Assert.DoesNotContain(outcome.Sources, s => s.HintName.EndsWith(".Cuda.g.cs", System.StringComparison.Ordinal));
        Assert.Empty(outcome.CompileErrors);
    }
}
