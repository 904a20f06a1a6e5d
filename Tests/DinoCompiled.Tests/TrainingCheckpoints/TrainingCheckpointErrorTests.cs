using System;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.TestModels;
using Xunit;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>
/// A checkpoint that does not fit fails with one line naming the file and the first mismatching key, before anything
/// is written into the caller's buffers.
/// </summary>
public sealed class TrainingCheckpointErrorTests
{
    private const string Model = "fmnist-tiny";

    private static string SavedTiny(TemporaryDirectory dir, string name = "run.safetensors", string model = Model)
    {
        string path = dir.File(name);
        TrainingCheckpoint.Save(path, FmnistTiny.Parameters, TrainingStateBuffers.Random(FmnistTiny.Parameters, 11).State(model, step: 40, epoch: 1));
        return path;
    }

    /// <summary>Loads into poisoned buffers and checks that the failure wrote nothing.</summary>
    private static CheckpointException LoadFails(string path)
    {
        var table = FmnistTiny.Parameters;
        var buffers = TrainingStateBuffers.Poisoned(table);
        var into = buffers.State(Model, step: 77, epoch: 5);
        var error = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Load(path, table, into));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(path + ": " + error.Problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        foreach (var flat in new[] { buffers.Student, buffers.Teacher, buffers.FirstMoments, buffers.SecondMoments, buffers.Center })
            Assert.True(flat.All(float.IsNaN), "a failed load wrote into the buffers");
        Assert.Equal(77, into.Step);
        Assert.Equal(5, into.Epoch);
        Assert.Equal("0.0005", into.Metadata["lr"]);
        return error;
    }

    [Fact]
    public void ACheckpointOfAnotherModelNamesTheFirstKeyAndBothShapes()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("reduced.safetensors");
        TrainingCheckpoint.Save(path, ReducedVit.Parameters, TrainingStateBuffers.Random(ReducedVit.Parameters, 12).State("reduced-vit"));

        var error = LoadFails(path);

        Assert.Equal($"{path}: student.backbone.cls_token has shape [1, 1, 64] in the file but [1, 1, 128] in fmnist-tiny", error.Message);
        Assert.Equal("student.backbone.cls_token", error.Key);
    }

    [Fact]
    public void AnotherModelNameWithTheSameShapesIsRefused()
    {
        using var dir = new TemporaryDirectory();
        string path = SavedTiny(dir, model: "fmnist-tiny-v2");

        Assert.Equal($"{path}: the checkpoint was saved from model 'fmnist-tiny-v2', not 'fmnist-tiny'", LoadFails(path).Message);
    }

    [Fact]
    public void ATruncatedFileIsNamedAsTruncated()
    {
        using var dir = new TemporaryDirectory();
        string path = SavedTiny(dir);
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length / 2);

        var error = LoadFails(path);

        Assert.StartsWith($"{path}: tensor '", error.Message);
        Assert.EndsWith("(is the file truncated?)", error.Message);
        Assert.IsType<SafetensorsFormatException>(error.InnerException);
    }

    [Fact]
    public void AMissingFile()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("absent.safetensors");

        Assert.Equal($"{path}: the file does not exist", LoadFails(path).Message);
    }

    [Fact]
    public void AFileThatIsNotSafetensors()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("notes.safetensors");
        File.WriteAllText(path, "these are not tensors");

        Assert.StartsWith($"{path}: header length ", LoadFails(path).Message);
    }

    [Fact]
    public void AMissingTensorIsNamedWithTheShapeTheModelNeeds()
    {
        using var dir = new TemporaryDirectory();
        string source = SavedTiny(dir);
        string path = dir.File("no-center.safetensors");
        SafetensorsRewrite.Copy(source, path, key => key != "center");

        var error = LoadFails(path);

        Assert.Equal($"{path}: center is missing; fmnist-tiny has it with shape [1, 4096]", error.Message);
        Assert.Equal("center", error.Key);
    }

    [Fact]
    public void AMissingMomentIsNamed()
    {
        using var dir = new TemporaryDirectory();
        string source = SavedTiny(dir);
        string path = dir.File("no-moment.safetensors");
        SafetensorsRewrite.Copy(source, path, key => key != "optimizer.exp_avg_sq.student.backbone.blocks.2.mlp.fc1.weight");

        Assert.Equal($"{path}: optimizer.exp_avg_sq.student.backbone.blocks.2.mlp.fc1.weight is missing; fmnist-tiny has it with shape [512, 128]",
            LoadFails(path).Message);
    }

    [Fact]
    public void AnExtraTensorIsRefused()
    {
        using var dir = new TemporaryDirectory();
        string source = SavedTiny(dir);
        string path = dir.File("extra.safetensors");
        SafetensorsRewrite.Copy(source, path, _ => true, writer => writer.AddFloat32("student.backbone.blocks.4.norm1.weight", new float[128], 128));

        Assert.Equal($"{path}: student.backbone.blocks.4.norm1.weight (shape [128]) is in the file but fmnist-tiny has no such tensor", LoadFails(path).Message);
    }

    [Fact]
    public void AScalarOfTheWrongDTypeIsRefused()
    {
        using var dir = new TemporaryDirectory();
        string source = SavedTiny(dir);
        string path = dir.File("float-step.safetensors");
        SafetensorsRewrite.Copy(source, path, key => key != "step", writer => writer.AddFloat32("step", new[] { 40f }));

        Assert.Equal($"{path}: step is F32 in the file but fmnist-tiny needs I64", LoadFails(path).Message);
    }

    [Fact]
    public void ANegativeStepCountIsRefused()
    {
        using var dir = new TemporaryDirectory();
        string source = SavedTiny(dir);
        string path = dir.File("negative.safetensors");
        var steps = new long[FmnistTiny.Parameters.Count];
        steps[3] = -2;
        SafetensorsRewrite.Copy(source, path, key => key != "optimizer.steps", writer => writer.AddInt64("optimizer.steps", steps, steps.Length));

        Assert.Equal($"{path}: optimizer.steps holds -2 for 'patch_embed.proj.bias'; step counts cannot be negative", LoadFails(path).Message);
    }

    [Fact]
    public void AFileWithoutAModelNameIsRefused()
    {
        using var dir = new TemporaryDirectory();
        string source = SavedTiny(dir);
        string path = dir.File("anonymous.safetensors");
        SafetensorsRewrite.Copy(source, path, _ => true, keepMetadata: false);

        Assert.Equal($"{path}: the file names no model (no 'model' in its __metadata__); it was not saved by TrainingCheckpoint", LoadFails(path).Message);
    }

    [Fact]
    public void ABackboneExportLoadedAsATrainingCheckpointSaysWhatItIs()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("backbone.safetensors");
        BackboneExport.Save(path, FmnistTiny.Parameters, TrainingStateBuffers.Random(FmnistTiny.Parameters, 13).Teacher, Model);

        Assert.Equal($"{path}: student.backbone.cls_token is missing; fmnist-tiny has it with shape [1, 1, 128] (the file has plain backbone keys: it looks like a backbone export; load it with BackboneExport.Load)",
            LoadFails(path).Message);
    }

    [Fact]
    public void AWriteThatFailsMidwayLeavesThePreviousCheckpointIntact()
    {
        using var dir = new TemporaryDirectory();
        var table = FmnistTiny.Parameters;
        string path = SavedTiny(dir);
        byte[] before = File.ReadAllBytes(path);

        // The student's tensors reach the temporary file; the teacher's data then fails, as a full disk would.
        var state = TrainingStateBuffers.Random(table, 14).State(Model, step: 80, epoch: 2);
        state.TeacherParameters = new FailingMemory((int)table.FlatLength).Memory;
        var error = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.Save(path, table, state));

        Assert.Equal($"{path}: the checkpoint could not be written (a previous file there is kept): simulated failure while writing tensor data", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"), "the temporary file is removed after a failure");
        var into = TrainingStateBuffers.Poisoned(table).State(Model);
        TrainingCheckpoint.Load(path, table, into);
        Assert.Equal(40, into.Step);
    }
}
