using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>
/// The keys are DINO's. The literals below are copied from DINO-SPEC.md, "Checkpoint keys": the ViT-S/16 backbone
/// keys and shapes, the head keys, and the student./teacher. prefixes training checkpoints add.
/// </summary>
public sealed class TrainingCheckpointKeyTests
{
    [Theory]
    [InlineData("cls_token", "[1, 1, 384]")]
    [InlineData("pos_embed", "[1, 197, 384]")]
    [InlineData("patch_embed.proj.weight", "[384, 3, 16, 16]")]
    [InlineData("blocks.0.attn.qkv.weight", "[1152, 384]")]
    [InlineData("blocks.11.mlp.fc1.weight", "[1536, 384]")]
    [InlineData("head.last_layer.weight_g", "[65536, 1]")]
    [InlineData("head.last_layer.weight_v", "[65536, 256]")]
    public void ViTSmall16HasTheSpecsKeysAndShapes(string key, string shape)
    {
        Assert.Equal(shape, VitSmall16.Parameters[key].ShapeText);
    }

    [Theory]
    [InlineData("cls_token", "student.backbone.cls_token", "teacher.backbone.cls_token")]
    [InlineData("blocks.0.attn.qkv.weight", "student.backbone.blocks.0.attn.qkv.weight", "teacher.backbone.blocks.0.attn.qkv.weight")]
    [InlineData("blocks.0.norm1.bias", "student.backbone.blocks.0.norm1.bias", "teacher.backbone.blocks.0.norm1.bias")]
    [InlineData("norm.weight", "student.backbone.norm.weight", "teacher.backbone.norm.weight")]
    [InlineData("head.mlp.0.weight", "student.head.mlp.0.weight", "teacher.head.mlp.0.weight")]
    [InlineData("head.mlp.4.bias", "student.head.mlp.4.bias", "teacher.head.mlp.4.bias")]
    [InlineData("head.last_layer.weight_g", "student.head.last_layer.weight_g", "teacher.head.last_layer.weight_g")]
    [InlineData("head.last_layer.weight_v", "student.head.last_layer.weight_v", "teacher.head.last_layer.weight_v")]
    public void TrainingKeysPrefixTheOfficialKeys(string key, string student, string teacher)
    {
        var p = VitSmall16.Parameters[key];
        Assert.Equal(student, TrainingCheckpoint.StudentKey(p));
        Assert.Equal(teacher, TrainingCheckpoint.TeacherKey(p));
        Assert.Equal("optimizer.exp_avg." + student, TrainingCheckpoint.FirstMomentKey(p));
        Assert.Equal("optimizer.exp_avg_sq." + student, TrainingCheckpoint.SecondMomentKey(p));
    }

    [Fact]
    public void AFileHoldsEveryKeyOnceInTheDocumentedOrder()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("run.safetensors");
        var table = FmnistTiny.Parameters;
        TrainingCheckpoint.Save(path, table, TrainingStateBuffers.Random(table, 21).State("fmnist-tiny", step: 3, epoch: 1));

        using var file = SafetensorsFile.Open(path);
        var expected = table.Select(p => TrainingCheckpoint.StudentKey(p))
            .Concat(table.Select(p => TrainingCheckpoint.TeacherKey(p)))
            .Concat(table.Where(p => p.Trainable).Select(p => TrainingCheckpoint.FirstMomentKey(p)))
            .Concat(table.Where(p => p.Trainable).Select(p => TrainingCheckpoint.SecondMomentKey(p)))
            .Concat(new[] { "optimizer.steps", "center", "step", "epoch", "rng_state" });
        Assert.Equal(expected, file.Names);

        Assert.Equal("[1, 50, 128]", file.TensorInfo("student.backbone.pos_embed").ShapeText);
        Assert.Equal("[4096, 1]", file.TensorInfo("teacher.head.last_layer.weight_g").ShapeText);
        Assert.Equal("[1, 4096]", file.TensorInfo("center").ShapeText);
        Assert.Equal($"[{table.Count}]", file.TensorInfo("optimizer.steps").ShapeText);
        Assert.Equal(SafetensorsDType.I64, file.TensorInfo("optimizer.steps").DType);
        Assert.Equal("[]", file.TensorInfo("step").ShapeText);
        Assert.Equal(SafetensorsDType.U8, file.TensorInfo("rng_state").DType);
        Assert.Equal("fmnist-tiny", file.Metadata["model"]);
        Assert.Equal("dino-training", file.Metadata["checkpoint"]);
        Assert.Equal("128", file.Metadata["batch"]);
    }
}
