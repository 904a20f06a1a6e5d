using Xunit;

namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>DINO0006-0013: the layer attributes on the members of a [DinoModel] class.</summary>
public sealed class LayerDiagnosticsTests
{
    private const string Order = "but the layers run PatchEmbedding, ClassToken, PositionEmbedding, TransformerBlock..., LayerNorm, then the head (DinoHead, or Linear/Gelu..., L2Normalize, WeightNormalizedLinear)";

    [Fact]
    public void LayerInAClassWithoutDinoModel_IsDino0006OnTheLayer() =>
        MarkedDiagnosticAssert.Reports("""
            public partial class NotAModel
            {
                [{|DINO0006:TransformerBlock(Heads = 2)|}]
                partial void Blocks();
            }
            """,
            "[TransformerBlock] on 'Blocks' is not part of a model: add [DinoModel] to the class 'NotAModel'");

    [Fact]
    public void HeadBeforeTheBlocks_IsDino0007OnTheHead() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class HeadFirst
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [{|DINO0007:DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)|}]
                partial void Head();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();
            }
            """,
            "[DinoHead] is declared before [TransformerBlock], " + Order);

    [Fact]
    public void BlockBeforeThePatchEmbedding_IsDino0007OnTheBlock() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class BlocksFirst
            {
                [{|DINO0007:TransformerBlock(Heads = 2, Repeat = 2)|}]
                partial void Blocks();

                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [LayerNorm]
                partial void Norm();

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                partial void Head();
            }
            """,
            "[TransformerBlock] is declared before [PatchEmbedding], " + Order);

    [Fact]
    public void SecondPatchEmbedding_IsDino0008OnTheSecond() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class TwoEmbeddings
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [{|DINO0008:PatchEmbedding(Patch = 4, Dim = 32)|}]
                partial void EmbedAgain();

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
            "[PatchEmbedding] is declared twice in 'TwoEmbeddings': a model has exactly one patch embedding");

    [Fact]
    public void SecondLayerNorm_IsDino0008OnTheSecond() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class TwoNorms
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [{|DINO0008:LayerNorm|}]
                partial void NormAgain();

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                partial void Head();
            }
            """,
            "[LayerNorm] is declared twice in 'TwoNorms': a model has exactly one final LayerNorm");

    [Fact]
    public void NoClassToken_IsDino0009OnDinoModel() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0009:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class NoClassToken
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [PositionEmbedding]
                partial void Positions();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                partial void Head();
            }
            """,
            "'NoClassToken' has no [ClassToken] layer: add [ClassToken] after the patch embedding");

    [Fact]
    public void NoHead_IsDino0009OnDinoModel() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0009:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class NoHead
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();
            }
            """,
            "'NoHead' has no [DinoHead] layer: add [DinoHead] after the final LayerNorm, or spell the head out with Linear, Gelu, L2Normalize and WeightNormalizedLinear");

    [Fact]
    public void SpelledOutHeadWithoutWeightNormalizedLinear_IsDino0009OnDinoModel() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO0009:DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)|}]
            public partial class NoPrototypes
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [Linear(Out = 64)]
                partial void Hidden();

                [Gelu]
                partial void Activation();

                [Linear(Out = 32)]
                partial void Bottleneck();

                [L2Normalize]
                partial void Normalize();
            }
            """,
            "'NoPrototypes' has no [WeightNormalizedLinear] layer: the head ends with [WeightNormalizedLinear(Out = ...)]");

    [Fact]
    public void AttributeOfTheDinoCompiledNamespaceThatIsNoLayer_IsDino0010OnIt() =>
        MarkedDiagnosticAssert.ReportsInFiles(new[]
        {
            ("Dropout.cs", """
                namespace DinoCompiled
                {
                    [System.AttributeUsage(System.AttributeTargets.Method)]
                    public sealed class DropoutAttribute : System.Attribute
                    {
                    }
                }
                """),
            (MarkedDiagnosticAssert.DeclarationPath, """
                using DinoCompiled;

                namespace Tests;

                [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
                public partial class WithDropout
                {
                    [PatchEmbedding(Patch = 4, Dim = 32)]
                    partial void Embed();

                    [ClassToken, PositionEmbedding]
                    partial void Tokens();

                    [TransformerBlock(Heads = 2, Repeat = 2)]
                    partial void Blocks();

                    [{|DINO0010:Dropout|}]
                    partial void Drop();

                    [LayerNorm]
                    partial void Norm();

                    [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                    partial void Head();
                }
                """),
        },
        "[Dropout] is not a layer the DinoCompiled generator knows; the layers are PatchEmbedding, ClassToken, PositionEmbedding, TransformerBlock, LayerNorm, DinoHead, Linear, Gelu, L2Normalize and WeightNormalizedLinear");

    [Fact]
    public void GeluFirstInTheHead_IsDino0011OnIt() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class GeluFirst
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [{|DINO0011:Gelu|}]
                partial void Activation();

                [Linear(Out = 32)]
                partial void Bottleneck();

                [L2Normalize]
                partial void Normalize();

                [WeightNormalizedLinear(Out = 256)]
                partial void Prototypes();
            }
            """,
            "[Gelu] on 'Activation' must sit between two [Linear] layers of the head");

    [Fact]
    public void TwoGelusInARow_AreDino0011OnBoth() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class DoubleGelu
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [Linear(Out = 64)]
                partial void Hidden();

                [{|DINO0011:Gelu|}]
                partial void Activation();

                [{|DINO0011:Gelu|}]
                partial void ActivationAgain();

                [Linear(Out = 32)]
                partial void Bottleneck();

                [L2Normalize]
                partial void Normalize();

                [WeightNormalizedLinear(Out = 256)]
                partial void Prototypes();
            }
            """,
            "[Gelu] on 'Activation' must sit between two [Linear] layers of the head",
            "[Gelu] on 'ActivationAgain' must sit between two [Linear] layers of the head");

    [Fact]
    public void GeluRightBeforeL2Normalize_IsDino0011OnIt() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class GeluLast
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [Linear(Out = 64)]
                partial void Hidden();

                [Gelu]
                partial void Activation();

                [Linear(Out = 32)]
                partial void Bottleneck();

                [{|DINO0011:Gelu|}]
                partial void FinalActivation();

                [L2Normalize]
                partial void Normalize();

                [WeightNormalizedLinear(Out = 256)]
                partial void Prototypes();
            }
            """,
            "[Gelu] on 'FinalActivation' must sit between two [Linear] layers of the head");

    [Fact]
    public void LayersInTwoPartialDeclarations_IsDino0012OnTheFirstLayerOfTheSecond() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class SplitModel
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();
            }

            public partial class SplitModel
            {
                [{|DINO0012:TransformerBlock(Heads = 2, Repeat = 2)|}]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)]
                partial void Head();
            }
            """,
            "The layers of 'SplitModel' are declared in more than one partial declaration, so their order is ambiguous: keep them in one");

    [Fact]
    public void LayersInTwoFiles_IsDino0012OnTheFirstLayerOfTheSecondFile() =>
        MarkedDiagnosticAssert.ReportsInFiles(new[]
        {
            ("SplitModel.Backbone.cs", """
                using DinoCompiled;

                namespace Tests;

                [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
                public partial class SplitModel
                {
                    [PatchEmbedding(Patch = 4, Dim = 32)]
                    partial void Embed();

                    [ClassToken, PositionEmbedding]
                    partial void Tokens();

                    [TransformerBlock(Heads = 2, Repeat = 2)]
                    partial void Blocks();

                    [LayerNorm]
                    partial void Norm();
                }
                """),
            ("SplitModel.Head.cs", """
                using DinoCompiled;

                namespace Tests;

                public partial class SplitModel
                {
                    [{|DINO0012:DinoHead(OutDim = 256, Hidden = 64, Bottleneck = 32)|}]
                    partial void Head();
                }
                """),
        },
        "The layers of 'SplitModel' are declared in more than one partial declaration, so their order is ambiguous: keep them in one");

    [Fact]
    public void TransformerBlockWithoutHeads_IsDino0013OnIt() =>
        MarkedDiagnosticAssert.Reports(
            DeclarationTemplates.Layered(blocks: "Repeat = 2").Replace("[TransformerBlock(Repeat = 2)]", "[{|DINO0013:TransformerBlock(Repeat = 2)|}]"),
            "[TransformerBlock] needs Heads, for example [TransformerBlock(Heads = ...)]");

    [Fact]
    public void PatchEmbeddingWithoutDim_IsDino0013OnIt() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class NoDim
            {
                [{|DINO0013:PatchEmbedding(Patch = 4)|}]
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
            "[PatchEmbedding] needs Dim, for example [PatchEmbedding(Dim = ...)]");

    [Fact]
    public void LinearWithoutOut_IsDino0013OnIt() =>
        MarkedDiagnosticAssert.Reports("""
            [DinoModel(Channels = 1, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12)]
            public partial class NoOut
            {
                [PatchEmbedding(Patch = 4, Dim = 32)]
                partial void Embed();

                [ClassToken, PositionEmbedding]
                partial void Tokens();

                [TransformerBlock(Heads = 2, Repeat = 2)]
                partial void Blocks();

                [LayerNorm]
                partial void Norm();

                [Linear(Out = 64)]
                partial void Hidden();

                [Gelu]
                partial void Activation();

                [{|DINO0013:Linear|}]
                partial void Bottleneck();

                [L2Normalize]
                partial void Normalize();

                [WeightNormalizedLinear(Out = 256)]
                partial void Prototypes();
            }
            """,
            "[Linear] needs Out, for example [Linear(Out = ...)]");

    [Fact]
    public void WeightNormalizedLinearWithoutOut_IsDino0013OnIt() =>
        MarkedDiagnosticAssert.Reports(
            DeclarationTemplates.Layered(prototypes: "NormLastLayer = false").Replace("[WeightNormalizedLinear(NormLastLayer = false)]", "[{|DINO0013:WeightNormalizedLinear(NormLastLayer = false)|}]"),
            "[WeightNormalizedLinear] needs Out, for example [WeightNormalizedLinear(Out = ...)]");
}
