using System;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.TestModels;
using Xunit;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>A backbone alone, under the plain keys of released DINO backbones.</summary>
public sealed class BackboneExportTests
{
    private const string Model = "fmnist-tiny";

    public static TheoryData<string> Tables => new() { "fmnist-tiny", PaddedTable.Name };

    [Theory]
    [MemberData(nameof(Tables))]
    public void TheBackboneRoundTripsBitwiseAndTheHeadIsLeftAlone(string model)
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("backbone.safetensors");
        var table = model == PaddedTable.Name ? PaddedTable.Create() : FmnistTiny.Parameters;
        var teacher = TrainingStateBuffers.Random(table, 41).Teacher;
        BackboneExport.Save(path, table, teacher, model);

        var loaded = new float[table.FlatLength];
        Array.Fill(loaded, float.NaN);
        BackboneExport.Load(path, table, loaded, model);

        // Backbone tensors and the padding before each of them are loaded (padding as zero); the rest keeps its NaN.
        var expected = new float[table.FlatLength];
        Array.Fill(expected, float.NaN);
        long end = 0;
        foreach (var p in table)
        {
            if (p.Part == ModelPart.Backbone)
            {
                expected.AsSpan((int)end, (int)(p.Offset - end)).Clear();
                teacher.AsSpan((int)p.Offset, (int)p.Count).CopyTo(expected.AsSpan((int)p.Offset));
            }
            end = p.Offset + p.Count;
        }
        TrainingCheckpointRoundTripTests.AssertBitwise(expected, loaded, "backbone");
    }

    [Fact]
    public void TheFileHoldsThePlainBackboneKeysOnly()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("backbone.safetensors");
        var table = FmnistTiny.Parameters;
        BackboneExport.Save(path, table, new float[table.FlatLength], Model);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(table.Where(p => p.Part == ModelPart.Backbone).Select(p => p.Name), file.Names);
        Assert.Equal(new[] { "cls_token", "pos_embed", "patch_embed.proj.weight" }, file.Names.Take(3));
        Assert.Contains("blocks.0.attn.qkv.weight", file.Names);
        Assert.Equal("norm.bias", file.Names[^1]);
        Assert.Equal(Model, file.Metadata["model"]);
    }

    [Fact]
    public void AnotherBackboneNamesTheFirstKeyAndBothShapes()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("reduced.safetensors");
        BackboneExport.Save(path, ReducedVit.Parameters, new float[ReducedVit.Parameters.FlatLength], "reduced-vit");

        var loaded = new float[FmnistTiny.Parameters.FlatLength];
        Array.Fill(loaded, float.NaN);
        var error = Assert.Throws<CheckpointException>(() => BackboneExport.Load(path, FmnistTiny.Parameters, loaded, Model));

        Assert.Equal($"{path}: cls_token has shape [1, 1, 64] in the file but [1, 1, 128] in fmnist-tiny", error.Message);
        Assert.True(loaded.All(float.IsNaN), "a failed load wrote into the buffer");
    }

    [Fact]
    public void ATrainingCheckpointLoadedAsABackboneSaysWhatItIs()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("run.safetensors");
        var table = FmnistTiny.Parameters;
        TrainingCheckpoint.Save(path, table, TrainingStateBuffers.Random(table, 42).State(Model));

        var error = Assert.Throws<CheckpointException>(() => BackboneExport.Load(path, table, new float[table.FlatLength], Model));

        Assert.Equal($"{path}: cls_token is missing; fmnist-tiny has it with shape [1, 1, 128] (the file has prefixed keys: it looks like a training checkpoint; load it with TrainingCheckpoint.Load or TrainingCheckpoint.LoadParameters)",
            error.Message);
    }

    [Fact]
    public void TheTeacherOfATrainingCheckpointLoadsAlone()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("run.safetensors");
        var table = FmnistTiny.Parameters;
        var saved = TrainingStateBuffers.Random(table, 43);
        TrainingCheckpoint.Save(path, table, saved.State(Model));

        var teacher = new float[table.FlatLength];
        Array.Fill(teacher, float.NaN);
        TrainingCheckpoint.LoadParameters(path, table, Model, teacher);
        var student = new float[table.FlatLength];
        TrainingCheckpoint.LoadParameters(path, table, Model, student, teacher: false);

        TrainingCheckpointRoundTripTests.AssertBitwise(saved.Teacher, teacher, "teacher");
        TrainingCheckpointRoundTripTests.AssertBitwise(saved.Student, student, "student");
    }
}
