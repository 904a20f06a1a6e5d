using System.Linq;
using DinoCompiled.Models;
using Xunit;

namespace DinoCompiled.Tests.Runtime;

/// <summary>The compiled zoo against the reference implementation's numbers (parameter counts, keys, shapes, FLOPs).</summary>
public sealed class ZooModelTests
{
    [Theory]
    [InlineData("vit-tiny-16", 5_524_416L, 21_958_912L)]
    [InlineData("vit-small-16", 21_665_664L, 22_352_128L)]
    [InlineData("vit-small-8", 21_670_272L, 22_352_128L)]
    [InlineData("vit-base-16", 85_798_656L, 23_138_560L)]
    [InlineData("vit-base-8", 85_807_872L, 23_138_560L)]
    [InlineData("fmnist-tiny", 802_048L, 922_752L)]
    public void ParameterCountsMatchTheReference(string name, long backbone, long head)
    {
        var model = ModelZoo.Find(name)!;
        Assert.Equal(backbone, model.Parameters.BackboneCount);
        Assert.Equal(head, model.Parameters.HeadCount);
        long frozen = model.Parameters.Where(p => !p.Trainable).Sum(p => p.Count);
        Assert.Equal(model.Architecture.Head.OutDim, frozen);
        Assert.Equal(backbone + head - frozen, model.Parameters.TrainableCount);
    }

    [Fact]
    public void GeneratedConstantsAgreeWithTheTable()
    {
        Assert.Equal(21_665_664L, VitSmall16.BackboneParameterCount);
        Assert.Equal(22_352_128L, VitSmall16.HeadParameterCount);
        Assert.Equal(VitSmall16.FlatParameterLength, VitSmall16.Parameters.FlatLength);
        Assert.Equal(802_048L, FmnistTiny.BackboneParameterCount);
        Assert.Equal(922_752L, FmnistTiny.HeadParameterCount);
        Assert.Same(FmnistTiny.Description, ModelZoo.Find("fmnist-tiny"));
    }

    [Fact]
    public void VitSmall16HasTheOfficialKeysAndShapes()
    {
        var p = VitSmall16.Parameters;
        Assert.Equal(new[] { 1, 1, 384 }, p["cls_token"].Shape);
        Assert.Equal(new[] { 1, 197, 384 }, p["pos_embed"].Shape);
        Assert.Equal(new[] { 384, 3, 16, 16 }, p["patch_embed.proj.weight"].Shape);
        Assert.Equal(new[] { 1152, 384 }, p["blocks.11.attn.qkv.weight"].Shape);
        Assert.Equal(new[] { 1536, 384 }, p["blocks.0.mlp.fc1.weight"].Shape);
        Assert.Equal(new[] { 384, 1536 }, p["blocks.0.mlp.fc2.weight"].Shape);
        Assert.Equal(new[] { 2048, 384 }, p["head.mlp.0.weight"].Shape);
        Assert.Equal(new[] { 256, 2048 }, p["head.mlp.4.weight"].Shape);
        Assert.Equal(new[] { 65536, 1 }, p["head.last_layer.weight_g"].Shape);
        Assert.Equal(new[] { 65536, 256 }, p["head.last_layer.weight_v"].Shape);
        Assert.False(p.TryGet("blocks.12.norm1.weight", out _));

        // State-dict order: the module's own tensors, then patch_embed, the blocks, norm, the head.
        Assert.Equal(new[] { "cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias", "blocks.0.norm1.weight" },
            p.Take(5).Select(x => x.Name));
        Assert.Equal(new[] { "norm.weight", "norm.bias", "head.mlp.0.weight" }, p.SkipWhile(x => x.Name != "norm.weight").Take(3).Select(x => x.Name));
        Assert.Equal("head.last_layer.weight_v", p[p.Count - 1].Name);
    }

    [Fact]
    public void OptimizerFlagsFollowTheReferenceRules()
    {
        var p = VitSmall16.Parameters;
        Assert.True(p["cls_token"].WeightDecay);
        Assert.True(p["pos_embed"].WeightDecay);
        Assert.True(p["blocks.0.attn.qkv.weight"].WeightDecay);
        Assert.False(p["blocks.0.attn.qkv.bias"].WeightDecay);
        Assert.False(p["blocks.0.norm1.weight"].WeightDecay);
        Assert.False(p["head.last_layer.weight_g"].Trainable);
        Assert.False(p["head.last_layer.weight_g"].WeightDecay);
        Assert.True(p["head.last_layer.weight_v"].WeightDecay);
        Assert.Equal(new ParameterInit(InitKind.TruncatedNormal, 0.02), p["head.mlp.2.weight"].Init);
        Assert.Equal(new ParameterInit(InitKind.Uniform, 1.0 / 16), p["head.last_layer.weight_v"].Init);
        Assert.Equal(new ParameterInit(InitKind.Uniform, 1.0 / System.Math.Sqrt(3 * 16 * 16)), p["patch_embed.proj.weight"].Init);
    }

    [Fact]
    public void TensorsAreAlignedAndDisjointInTheFlatBuffer()
    {
        foreach (var model in ModelZoo.All)
        {
            long end = 0;
            foreach (var p in model.Parameters)
            {
                Assert.Equal(0, p.Offset % ParameterTable.Alignment);
                Assert.True(p.Offset >= end, $"{model.Name}: {p.Name} overlaps the tensor before it.");
                Assert.Equal(p.Shape.Aggregate(1L, (a, b) => a * b), p.Count);
                end = p.Offset + p.Count;
            }
            Assert.True(model.Parameters.FlatLength >= end);
            Assert.True(model.Parameters.FlatLength - end < ParameterTable.Alignment);
        }
    }

    [Theory]
    // timm's published multiply-adds per image at 224 (vit_*_patch*_224): Ti/16 1.3 G, S/16 4.6 G, S/8 22.4 G... B/16 17.6 G, B/8 78.2 G.
    [InlineData("vit-tiny-16", 1.26e9)]
    [InlineData("vit-small-16", 4.61e9)]
    [InlineData("vit-base-16", 17.58e9)]
    [InlineData("vit-base-8", 78.22e9)]
    public void BackboneFlopsAtTheGlobalCropMatchPublishedFigures(string name, double multiplyAdds)
    {
        var flops = ModelZoo.Find(name)!.Flops[0];
        Assert.Equal(224, flops.Crop);
        Assert.InRange(flops.BackboneFlops / 2.0, multiplyAdds * 0.98, multiplyAdds * 1.02);
    }

    [Fact]
    public void EveryCompiledCropHasItsTokenCount()
    {
        var flops = FmnistTiny.Description.Flops;
        Assert.Equal(new[] { (28, 50), (12, 10) }, flops.Select(f => (f.Crop, f.Tokens)));
        Assert.Equal(new[] { (224, 197), (96, 37) }, VitSmall16.Description.Flops.Select(f => (f.Crop, f.Tokens)));
        Assert.Equal(new[] { (224, 785), (96, 145) }, VitSmall8.Description.Flops.Select(f => (f.Crop, f.Tokens)));
    }

    [Fact]
    public void DropPathRisesLinearlyOverTheBlocks()
    {
        var blocks = VitSmall16.Description.Architecture.Blocks;
        Assert.Equal(0.0, blocks[0].DropPath);
        Assert.Equal(0.1, blocks[^1].DropPath);
        Assert.Equal(0.1 * 5 / 11, blocks[5].DropPath, 12);
    }
}
