using System.Linq;
using DinoCompiled.Generator.Emit;
using Xunit;

namespace DinoCompiled.Tests.Generator.Diagnostics;

public sealed class ValidDeclarationTests
{
    [Fact]
    public void PresetDeclaration_ReportsNothing_AndItsCodeCompiles() =>
        AssertCompilesWithoutDiagnostics(DeclarationTemplates.Preset(), DeclarationTemplates.PresetClass);

    [Fact]
    public void LayeredDeclarationWithHeadPreset_ReportsNothing_AndItsCodeCompiles() =>
        AssertCompilesWithoutDiagnostics("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class FmnistMini
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, MlpRatio = 4, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                partial void Head();
            }
            """, "FmnistMini");

    [Fact]
    public void LayeredDeclarationWithSpelledOutHead_ReportsNothing_AndItsCodeCompiles() =>
        AssertCompilesWithoutDiagnostics(DeclarationTemplates.Layered(), DeclarationTemplates.LayeredClass);

    [Fact]
    public void ClassesWhoseNamesDifferOnlyInCase_ReportNothing_AndBothCompile()
    {
        var outcome = MarkedDiagnosticAssert.Reports("""
            [VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class VitTiny
            {
            }

            [VisionTransformer(Patch = 16, EmbedDim = 32, Depth = 2, Heads = 2)]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class Vittiny
            {
            }
            """);

        Assert.Null(outcome.RunResult.Results.Single().Exception);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompileErrors);
        string catalog = outcome.Source(CatalogEmitter.HintName);
        Assert.Contains("global::Tests.VitTiny.Description", catalog);
        Assert.Contains("global::Tests.Vittiny.Description", catalog);
    }

    private static void AssertCompilesWithoutDiagnostics(string declaration, string className)
    {
        var outcome = MarkedDiagnosticAssert.Reports(declaration);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompileErrors);
        Assert.Contains(outcome.Sources, s => s.HintName != CatalogEmitter.HintName && s.SourceText.ToString().Contains("partial class " + className + " "));
        Assert.Contains("global::Tests." + className + ".Description", outcome.Source(CatalogEmitter.HintName));
        Assert.Null(outcome.RunResult.Results.Single().Exception);
    }
}
