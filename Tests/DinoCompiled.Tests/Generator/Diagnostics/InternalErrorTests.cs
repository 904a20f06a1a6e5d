using System;
using System.Linq;
using DinoCompiled.Generator;
using DinoCompiled.Generator.Emit;
using DinoCompiled.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>DINO9001: an exception inside a guarded stage becomes an error on the model, never a failure of the compiler's driver.</summary>
public sealed class InternalErrorTests
{
    private const string ProbedPreset = """
        using DinoCompiled;

        namespace Tests;

        [{|DINO9001:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
        [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
        public partial class ProbedVit
        {
        }
        """;

    [Theory]
    [InlineData("parsing")]
    [InlineData("lowering")]
    [InlineData("emitting")]
    public void PresetStageThatThrows_IsOneDino9001OnVisionTransformer_AndNoModelCode(string stage)
    {
        var outcome = MarkedDiagnosticAssert.ReportsIgnoringEmission(ThrowingAt(stage), new[] { (MarkedDiagnosticAssert.DeclarationPath, ProbedPreset) },
            $"The DINO generator failed while {stage} 'ProbedVit': InvalidOperationException: probe failed while {stage}. This is a bug in DinoCompiled; please report it with the declaration.");

        AssertDriverSurvived(outcome);
        Assert.Equal(DiagnosticSeverity.Error, outcome.GeneratorDiagnostics.Single().Severity);
        Assert.Equal(new[] { CatalogEmitter.HintName }, outcome.Sources.Select(s => s.HintName));
    }

    [Fact]
    public void LayeredParsingThatThrows_IsOneDino9001OnDinoModel()
    {
        var outcome = MarkedDiagnosticAssert.ReportsIgnoringEmission(ThrowingAt("parsing"), new[] { (MarkedDiagnosticAssert.DeclarationPath, """
            using DinoCompiled;

            namespace Tests;

            [{|DINO9001:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class ProbedFmnist
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                partial void Head();
            }
            """) },
            "The DINO generator failed while parsing 'ProbedFmnist': InvalidOperationException: probe failed while parsing. This is a bug in DinoCompiled; please report it with the declaration.");

        AssertDriverSurvived(outcome);
        Assert.Equal(new[] { CatalogEmitter.HintName }, outcome.Sources.Select(s => s.HintName));
    }

    [Fact]
    public void OrphanCheckThatThrows_IsDino9001OnTheCheckedAttribute_AndTheModelIsStillGenerated()
    {
        var outcome = MarkedDiagnosticAssert.ReportsIgnoringEmission(ThrowingAt("checking"), new[] { (MarkedDiagnosticAssert.DeclarationPath, """
            using DinoCompiled;

            namespace Tests;

            [VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)]
            [{|DINO9001:DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)|}]
            public partial class ProbedVit
            {
            }
            """) },
            "The DINO generator failed while checking 'ProbedVit': InvalidOperationException: probe failed while checking. This is a bug in DinoCompiled; please report it with the declaration.");

        AssertDriverSurvived(outcome);
        Assert.Contains("global::Tests.ProbedVit.Description,", outcome.Source(CatalogEmitter.HintName));
    }

    [Fact]
    public void CataloguingThatThrows_IsOneDino9001WithoutLocation_AndTheModelIsStillGenerated()
    {
        var outcome = GeneratorHarness.Run(DeclarationTemplates.Preset(), ThrowingAt("cataloguing"));

        AssertDriverSurvived(outcome);
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("DINO9001", diagnostic.Id);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.Equal("The DINO generator failed while cataloguing 'the model catalog': InvalidOperationException: probe failed while cataloguing. This is a bug in DinoCompiled; please report it with the declaration.",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(outcome.Sources, s => s.HintName == CatalogEmitter.HintName);
        Assert.Contains(outcome.Sources, s => s.SourceText.ToString().Contains("partial class " + DeclarationTemplates.PresetClass + " "));
    }

    private static DinoModelGenerator ThrowingAt(string failingStage) => new(stage =>
    {
        if (stage == failingStage) throw new InvalidOperationException("probe failed while " + stage);
    });

    private static void AssertDriverSurvived(GeneratorOutcome outcome)
    {
        Assert.Null(outcome.RunResult.Results.Single().Exception);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }
}
