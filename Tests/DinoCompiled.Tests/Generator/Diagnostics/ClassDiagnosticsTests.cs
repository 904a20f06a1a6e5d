using DinoCompiled.Generator;
using DinoCompiled.Generator.Emit;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>DINO0001-0005, DINO0014 and DINO0015: the model class, the class-level attributes, and model names.</summary>
public sealed class ClassDiagnosticsTests
{
    [Fact]
    public void PresetClassNotPartial_IsDino0001OnVisionTransformer() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0001:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public class PlainVit
            {
            }
            """,
            "Model class 'PlainVit' must be declared partial, so that the generator can add its compiled members");

    [Fact]
    public void LayeredClassNotPartial_IsDino0001OnDinoModel() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0001:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public class PlainFmnist
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                void Embed() { }

                [ClassToken, PositionEmbedding]
                void Tokens() { }

                [TransformerBlock(Heads = 2, Repeat = 2)]
                void Blocks() { }

                [LayerNorm]
                void Norm() { }

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                void Head() { }
            }
            """,
            "Model class 'PlainFmnist' must be declared partial, so that the generator can add its compiled members");

    [Fact]
    public void NestedClass_IsDino0002OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            public static class Zoo
            {
                [{|DINO0002:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
                [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
                public partial class NestedVit
                {
                }
            }
            """,
            "Model class 'NestedVit' must be a non-generic, non-static, top-level class, but it is nested in 'Zoo'");

    [Fact]
    public void GenericClass_IsDino0002OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0002:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class GenericVit<T>
            {
            }
            """,
            "Model class 'GenericVit' must be a non-generic, non-static, top-level class, but it is generic");

    [Fact]
    public void StaticClass_IsDino0002OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0002:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public static partial class StaticVit
            {
            }
            """,
            "Model class 'StaticVit' must be a non-generic, non-static, top-level class, but it is static");

    [Fact]
    public void Record_IsDino0002OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0002:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial record RecordVit;
            """,
            "Model class 'RecordVit' must be a non-generic, non-static, top-level class, but it is a record");

    [Fact]
    public void PresetAndDinoModelOnOneClass_IsOneDino0003OnDinoModel() =>
        MarkedDiagnosticAssert.Reports("""
            [VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            [{|DINO0003:DinoModel|}]
            public partial class TwoStyles
            {
            }
            """,
            "[DinoModel] cannot be combined with [VisionTransformer] on 'TwoStyles': declare a model either with presets ([VisionTransformer] + [DinoHead]) or layer by layer ([DinoModel])");

    [Fact]
    public void VisionTransformerOnACompleteLayeredModel_IsOneDino0003OnDinoModel() =>
        MarkedDiagnosticAssert.Reports("""
            [VisionTransformer(Patch = 4, EmbedDim = 32, Depth = 2, Heads = 2)]
            [{|DINO0003:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class BackboneTwice
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
            """,
            "[DinoModel] cannot be combined with [VisionTransformer] on 'BackboneTwice': declare a model either with presets ([VisionTransformer] + [DinoHead]) or layer by layer ([DinoModel])");

    [Fact]
    public void DinoHeadOnALayeredClass_IsDino0003OnTheClassDinoHead() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            [{|DINO0003:DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)|}]
            public partial class HeadOnClass
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
            """,
            "[DinoHead] cannot be combined with [DinoModel] on 'HeadOnClass': in a layer-by-layer model the head is a member after the final [LayerNorm]");

    [Fact]
    public void DinoHeadMemberWithSpelledOutHeadLayers_IsDino0003OnEachOfThem() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class HeadTwice
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

                [{|DINO0003:Linear(Out = 32)|}]
                partial void Projection();

                [{|DINO0003:L2Normalize|}]
                partial void Normalize();
            }
            """,
            "[Linear] cannot be combined with [DinoHead] on 'HeadTwice': [DinoHead] already declares the whole head; spell the head out with Linear, Gelu, L2Normalize and WeightNormalizedLinear instead",
            "[L2Normalize] cannot be combined with [DinoHead] on 'HeadTwice': [DinoHead] already declares the whole head; spell the head out with Linear, Gelu, L2Normalize and WeightNormalizedLinear instead");

    [Fact]
    public void PresetWithoutDinoHead_IsDino0004OnVisionTransformer() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0004:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            public partial class Headless
            {
            }
            """,
            "'Headless' declares a backbone but no head: add [DinoHead(OutDim = ..., Hidden = ..., Bottleneck = ...)] to the class");

    [Fact]
    public void DinoHeadOnAClassWithoutBackbone_IsDino0005OnDinoHead() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0005:DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)|}]
            public partial class HeadOnly
            {
            }
            """,
            "[DinoHead] on class 'HeadOnly' needs a backbone: add [VisionTransformer] to the class, or declare the model with [DinoModel] and put [DinoHead] on a member after the final [LayerNorm]");

    [Fact]
    public void ClassNamesWithTheSameKebabCase_AreDino0014OnTheSecondModelAttribute()
    {
        var outcome = MarkedDiagnosticAssert.ReportsIgnoringEmission(new DinoModelGenerator(), new[] { (MarkedDiagnosticAssert.DeclarationPath, """
            using DinoCompiled;

            namespace Tests;

            [VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class VitTiny
            {
            }

            [{|DINO0014:VisionTransformer(Patch = 16, EmbedDim = 32, Depth = 2, Heads = 2)|}]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class Vit_Tiny
            {
            }
            """) },
            "Model name 'vit-tiny' of 'Tests.Vit_Tiny' is already used by 'Tests.VitTiny': set Name on one of them");

        AssertCatalogHoldsOnly(outcome, "Tests.VitTiny", "Tests.Vit_Tiny");
    }

    [Fact]
    public void SameNameSetOnTwoModels_IsDino0014OnTheSecondModelAttribute()
    {
        var outcome = MarkedDiagnosticAssert.ReportsIgnoringEmission(new DinoModelGenerator(), new[] { (MarkedDiagnosticAssert.DeclarationPath, """
            using DinoCompiled;

            namespace Tests;

            [VisionTransformer(Name = "tiny", Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class TinyA
            {
            }

            [{|DINO0014:DinoModel(Name = "tiny", Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class TinyB
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
            "Model name 'tiny' of 'Tests.TinyB' is already used by 'Tests.TinyA': set Name on one of them");

        AssertCatalogHoldsOnly(outcome, "Tests.TinyA", "Tests.TinyB");
    }

    [Fact]
    public void NameWithASpace_IsDino0015OnTheNameArgument() =>
        MarkedDiagnosticAssert.Reports("""
            [VisionTransformer({|DINO0015:Name = "Vit Small"|}, Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class VitSmall
            {
            }
            """,
            "Model name 'Vit Small' must be lower-case letters and digits in groups joined by '-', like 'vit-small-16'");

    [Fact]
    public void ClassNameWhoseKebabCaseIsInvalid_IsDino0015OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0015:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class CaféNet
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
            """,
            "Model name 'café-net' must be lower-case letters and digits in groups joined by '-', like 'vit-small-16'");

    private static void AssertCatalogHoldsOnly(GeneratorOutcome outcome, string listed, string left)
    {
        string catalog = outcome.Source(CatalogEmitter.HintName);
        Assert.Contains("global::" + listed + ".Description,", catalog);
        Assert.DoesNotContain("global::" + left + ".Description", catalog);
        Assert.Empty(outcome.CompileErrors);
    }
}
