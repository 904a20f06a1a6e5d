using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static DinoCompiled.Tests.Generator.Diagnostics.DeclarationTemplates;

namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>DINO1001-1008: sizes and values that give no valid network, each reported on the argument that sets it.</summary>
public sealed class ShapeDiagnosticsTests
{
    [Theory]
    [InlineData("Patch = 16, {|DINO1001:EmbedDim = 0|}, Depth = 2, Heads = 4", "VisionTransformer.EmbedDim must be positive, but is 0")]
    [InlineData("Patch = 16, EmbedDim = 64, {|DINO1001:Depth = -1|}, Heads = 4", "VisionTransformer.Depth must be positive, but is -1")]
    [InlineData("{|DINO1001:Channels = 0|}, Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4", "VisionTransformer.Channels must be positive, but is 0")]
    [InlineData("Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1001:LayerNormEps = 0|}", "VisionTransformer.LayerNormEps must be positive, but is 0")]
    [InlineData("{|DINO1001:Patch = 0|}, EmbedDim = 64, Depth = 2, Heads = 4", "VisionTransformer.Patch must be positive, but is 0")]
    [InlineData("Patch = 16, EmbedDim = 64, Depth = 2, {|DINO1001:Heads = 0|}", "VisionTransformer.Heads must be positive, but is 0")]
    [InlineData("Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1001:MlpRatio = 0|}", "VisionTransformer.MlpRatio must be positive, but is 0")]
    [InlineData("{|DINO1001:ImageSize = 0|}, Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4", "VisionTransformer.ImageSize must be positive, but is 0")]
    [InlineData("Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1001:GlobalCrop = -32|}", "VisionTransformer.GlobalCrop must be positive, but is -32")]
    [InlineData("Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1001:LocalCrop = 0|}", "VisionTransformer.LocalCrop must be positive, but is 0")]
    public void NonPositiveBackboneArgument_IsDino1001OnIt(string backbone, string message) =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: backbone), message);

    [Theory]
    [InlineData("{|DINO1001:OutDim = 0|}, Hidden = 128, Bottleneck = 64", "DinoHead.OutDim must be positive, but is 0")]
    [InlineData("OutDim = 256, {|DINO1001:Hidden = -1|}, Bottleneck = 64", "DinoHead.Hidden must be positive, but is -1")]
    [InlineData("OutDim = 256, Hidden = 128, {|DINO1001:Bottleneck = 0|}", "DinoHead.Bottleneck must be positive, but is 0")]
    [InlineData("OutDim = 256, Hidden = 128, Bottleneck = 64, {|DINO1001:Layers = 0|}", "DinoHead.Layers must be positive, but is 0")]
    public void NonPositiveHeadArgument_IsDino1001OnIt(string head, string message) =>
        MarkedDiagnosticAssert.Reports(Preset(head: head), message);

    [Fact]
    public void ZeroRepeat_IsDino1001OnIt() =>
        MarkedDiagnosticAssert.Reports(Layered(blocks: "Heads = 2, {|DINO1001:Repeat = 0|}"),
            "TransformerBlock.Repeat must be positive, but is 0");

    [Fact]
    public void ZeroLinearOut_IsDino1001OnIt() =>
        MarkedDiagnosticAssert.Reports(Layered(hidden: "{|DINO1001:Out = 0|}"),
            "Linear.Out must be positive, but is 0");

    [Fact]
    public void ZeroWeightNormalizedLinearOut_IsDino1001OnIt() =>
        MarkedDiagnosticAssert.Reports(Layered(prototypes: "{|DINO1001:Out = 0|}"),
            "WeightNormalizedLinear.Out must be positive, but is 0");

    [Fact]
    public void ZeroPatchEmbeddingDim_IsDino1001OnIt() =>
        MarkedDiagnosticAssert.Reports(Layered(embedding: "Patch = 4, {|DINO1001:Dim = 0|}"),
            "PatchEmbedding.Dim must be positive, but is 0");

    [Fact]
    public void ZeroChannelsOfALayeredModel_IsDino1001OnIt() =>
        MarkedDiagnosticAssert.Reports(Layered(model: "{|DINO1001:Channels = 0|}, ImageSize = 28, GlobalCrop = 28, LocalCrop = 12"),
            "DinoModel.Channels must be positive, but is 0");

    [Fact]
    public void PresetHeadsNotDividingEmbedDim_IsDino1002OnHeads() =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: "Patch = 16, EmbedDim = 384, Depth = 2, {|DINO1002:Heads = 5|}"),
            "The embedding width 384 is not divisible by Heads = 5");

    [Fact]
    public void BlockHeadsNotDividingThePatchEmbeddingDim_IsDino1002OnHeads() =>
        MarkedDiagnosticAssert.Reports(Layered(embedding: "Patch = 4, Dim = 100", blocks: "{|DINO1002:Heads = 3|}, Repeat = 2"),
            "The embedding width 100 is not divisible by Heads = 3");

    [Fact]
    public void ImageSizeNotAMultipleOfThePatch_IsDino1003OnImageSize() =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: "{|DINO1003:ImageSize = 225|}, Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4"),
            "ImageSize = 225 is not a multiple of the patch size 16");

    [Fact]
    public void LocalCropNotAMultipleOfThePatch_IsDino1003OnLocalCrop() =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: "Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1003:LocalCrop = 100|}"),
            "LocalCrop = 100 is not a multiple of the patch size 16");

    [Fact]
    public void GlobalCropNotAMultipleOfThePatch_IsDino1003OnGlobalCrop() =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: "Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1003:GlobalCrop = 200|}"),
            "GlobalCrop = 200 is not a multiple of the patch size 16");

    [Fact]
    public void LayeredCropNotAMultipleOfThePatchEmbedding_IsDino1003OnTheDinoModelArgument() =>
        MarkedDiagnosticAssert.Reports(Layered(model: "Channels = 1, ImageSize = 28, GlobalCrop = 28, {|DINO1003:LocalCrop = 10|}"),
            "LocalCrop = 10 is not a multiple of the patch size 4");

    [Fact]
    public void PresetOutDimBelowBottleneck_IsDino1004OnOutDim() =>
        MarkedDiagnosticAssert.Reports(Preset(head: "{|DINO1004:OutDim = 32|}, Hidden = 128, Bottleneck = 64"),
            "The head's out dim 32 is smaller than its bottleneck 64");

    [Fact]
    public void WeightNormalizedLinearNarrowerThanTheLastLinear_IsDino1004OnOut() =>
        MarkedDiagnosticAssert.Reports(Layered(bottleneck: "Out = 128", prototypes: "{|DINO1004:Out = 64|}"),
            "The head's out dim 64 is smaller than its bottleneck 128");

    [Fact]
    public void PresetMlpRatioGivingAFraction_IsDino1005OnMlpRatio() =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: "Patch = 16, EmbedDim = 6, Depth = 2, Heads = 2, {|DINO1005:MlpRatio = 0.25|}"),
            "MlpRatio = 0.25 times the embedding width 6 gives 1.5, not a whole number of hidden units");

    [Fact]
    public void BlockMlpRatioGivingAFraction_IsDino1005OnMlpRatio() =>
        MarkedDiagnosticAssert.Reports(Layered(embedding: "Patch = 4, Dim = 9", blocks: "Heads = 3, {|DINO1005:MlpRatio = 2.5|}, Repeat = 2"),
            "MlpRatio = 2.5 times the embedding width 9 gives 22.5, not a whole number of hidden units");

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("-0.1", "-0.1")]
    public void PresetDropPathRateOutsideZeroToOne_IsDino1006OnDropPathRate(string rate, string shown) =>
        MarkedDiagnosticAssert.Reports(Preset(backbone: "Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, {|DINO1006:DropPathRate = " + rate + "|}"),
            "VisionTransformer.DropPathRate must be in [0, 1), but is " + shown);

    [Fact]
    public void LayeredDropPathRateOutsideZeroToOne_IsDino1006OnDropPathRate() =>
        MarkedDiagnosticAssert.Reports(Layered(model: "Channels = 1, ImageSize = 28, {|DINO1006:DropPathRate = 1.5|}, GlobalCrop = 28, LocalCrop = 12"),
            "DinoModel.DropPathRate must be in [0, 1), but is 1.5");

    [Fact]
    public void LocalCropLargerThanGlobalCrop_IsADino1007WarningOnLocalCrop_AndTheModelIsStillGenerated()
    {
        var outcome = MarkedDiagnosticAssert.Reports(Preset(backbone: "Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4, GlobalCrop = 96, {|DINO1007:LocalCrop = 128|}"),
            "LocalCrop = 128 is larger than GlobalCrop = 96: DINO's local crops are the small views");

        Assert.Equal(DiagnosticSeverity.Warning, outcome.GeneratorDiagnostics.Single().Severity);
        Assert.Contains(outcome.Sources, s => s.SourceText.ToString().Contains("partial class " + PresetClass + " "));
        Assert.Empty(outcome.CompileErrors);
    }

    [Fact]
    public void HeadWhoseLastLayerOverflowsOneFlatBuffer_IsDino1008OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO1008:VisionTransformer(Patch = 16, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            [DinoHead(OutDim = 2000000000, Hidden = 128, Bottleneck = 256)]
            public partial class HugeHead
            {
            }
            """,
            "'HugeHead' is too large to compile: 514,000,219,840 parameter elements, more than the 2,147,483,591 one flat buffer holds");

    [Fact]
    public void PositionEmbeddingWhoseTokenCountOverflows_IsDino1008OnTheModelAttribute() =>
        MarkedDiagnosticAssert.Reports("""
            [{|DINO1008:VisionTransformer(ImageSize = 65536, Patch = 1, EmbedDim = 64, Depth = 2, Heads = 4)|}]
            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 64)]
            public partial class HugeImage
            {
            }
            """,
            "'HugeImage' is too large to compile: its sizes overflow the element and token counts");
}
