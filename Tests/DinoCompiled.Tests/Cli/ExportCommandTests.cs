using System;
using System.IO;
using System.Linq;
using DinoCompiled.Cli;
using DinoCompiled.Compiled;
using DinoCompiled.Models;
using DinoCompiled.Tests.Onnx;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// <c>dino export onnx</c>: the file holds the checkpoint's teacher (not its student), runs in ONNX Runtime with the
/// compiled forward's outputs (CLS and every token), and bad options are one line that leaves no file.
/// </summary>
public sealed class ExportCommandTests : IClassFixture<SmallTrainedRun>
{
    private const double Tolerance = 1e-5;
    private readonly SmallTrainedRun _run;

    public ExportCommandTests(SmallTrainedRun run) => _run = run;

    [Fact]
    public void TheClsExportIsTheTeacherCompiledForward()
    {
        var model = FmnistTiny.Description;
        var a = model.Architecture;
        const int count = 3;
        string path = Export("cls.onnx");
        using var teacher = CheckpointModel.LoadTeacher<FmnistTiny>(_run.Checkpoint);
        using var images = OnnxExportFixture.Images(model, count, a.GlobalCrop, seed: 31);
        var expected = OnnxExportFixture.CompiledFeatures<FmnistTiny>(teacher, images, count, a.GlobalCrop);
        using var session = OnnxExportFixture.Session(path);
        var (actual, shape) = OnnxExportFixture.Run(session, images, count, a.Channels, a.GlobalCrop);
        Assert.Equal(new long[] { count, a.EmbedDim }, shape);
        double error = OnnxExportFixture.MaxRelativeError(actual, expected);
        Assert.True(error <= Tolerance, $"relative error {error:E2} against the teacher's compiled features");

        // A student export would differ: after training steps the two are different networks.
        using var student = new NativeBuffer(model.Parameters.FlatLength);
        DinoCompiled.Checkpoints.TrainingCheckpoint.LoadParameters(_run.Checkpoint, model.Parameters, model.Name, student.Span, teacher: false);
        var studentFeatures = OnnxExportFixture.CompiledFeatures<FmnistTiny>(student, images, count, a.GlobalCrop);
        Assert.True(OnnxExportFixture.MaxRelativeError(actual, studentFeatures) > 100 * Tolerance, "the export matches the student as well as the teacher");
    }

    [Fact]
    public void TheAllTokenExportIsEveryNormalizedTokenOfTheLastBlock()
    {
        var model = FmnistTiny.Description;
        var a = model.Architecture;
        const int count = 2;
        string path = Export("all.onnx", "--tokens", "all");
        using var teacher = CheckpointModel.LoadTeacher<FmnistTiny>(_run.Checkpoint);
        using var images = OnnxExportFixture.Images(model, count, a.GlobalCrop, seed: 32);
        using var dense = new DenseFeatureExtractor<FmnistTiny>(count);
        dense.Run(teacher.Ptr, images.Ptr, count);
        var expected = new float[count * dense.Tokens * dense.Dimension];
        dense.NormalizedTokens(a.Depth - 1, expected);
        using var session = OnnxExportFixture.Session(path);
        var (actual, shape) = OnnxExportFixture.Run(session, images, count, a.Channels, a.GlobalCrop);
        Assert.Equal(new long[] { count, dense.Tokens, a.EmbedDim }, shape);
        double error = OnnxExportFixture.MaxRelativeError(actual, expected);
        Assert.True(error <= Tolerance, $"relative error {error:E2} against the compiled forward's tokens");
    }

    /// <summary>A crop no arena was compiled for: the position grid is resized at export, and the graph takes that size.</summary>
    [Fact]
    public void AnotherCropGivesThatInputAndTokenCount()
    {
        string path = Export("crop.onnx", "--crop", "56", "--tokens", "all");
        using var session = OnnxExportFixture.Session(path);
        var input = session.InputMetadata["images"].Dimensions;
        var output = session.OutputMetadata["features"].Dimensions;
        Assert.Equal(new[] { -1, 1, 56, 56 }, input);
        Assert.Equal(new[] { -1, 1 + 14 * 14, 128 }, output);
    }

    [Theory]
    [InlineData("--tokens", "patch", "dino: export onnx: --tokens takes 'cls' or 'all', not 'patch'")]
    [InlineData("--crop", "30", "dino: export onnx: --crop 30 is not a multiple of fmnist-tiny's patch size 4")]
    [InlineData("--crop", "0", "dino: export onnx: option '--crop' takes a whole number of at least 1, not '0'")]
    [InlineData("--opset", "13", "dino: export onnx: option '--opset' takes a whole number of at least 17, not '13'")]
    public void ABadOptionIsOneLineAndWritesNothing(string option, string value, string message)
    {
        string folder = _run.NewFolder("bad-export");
        string path = Path.Combine(folder, "model.onnx");
        var (code, _, error) = CliRun.Dino(["export", "onnx", "--checkpoint", _run.Checkpoint, "--out", path, option, value]);
        Assert.Equal(2, code);
        Assert.Equal(message + "\n", error);
        Assert.Empty(Directory.GetFiles(folder));
    }

    /// <summary>The backbone file holds the teacher's backbone bit for bit, under the keys <c>--init-from</c> reads.</summary>
    [Fact]
    public void TheBackboneExportIsTheTeachersBackboneForInitFrom()
    {
        string path = Path.Combine(_run.NewFolder("backbone"), "backbone.safetensors");
        var (code, output, error) = CliRun.Dino(["export", "backbone", "--checkpoint", _run.Checkpoint, "--out", path]);
        Assert.True(code == 0, error);
        Assert.StartsWith(path + ": fmnist-tiny teacher backbone, ", output);
        var table = FmnistTiny.Parameters;
        using var teacher = CheckpointModel.LoadTeacher<FmnistTiny>(_run.Checkpoint);
        var loaded = new float[table.FlatLength];
        var report = DinoCompiled.Checkpoints.PretrainedBackbone.Load(path, table, loaded, "fmnist-tiny");
        Assert.Equal("a backbone", report.Source);
        foreach (var p in table)
            if (p.Part == DinoCompiled.ModelPart.Backbone)
                Assert.True(teacher.Span.Slice((int)p.Offset, (int)p.Count).SequenceEqual(loaded.AsSpan((int)p.Offset, (int)p.Count)), p.Name);
    }

    [Fact]
    public void AnUnknownFormatNamesTheFormats()
    {
        var (code, _, error) = CliRun.Dino(["export", "tflite", "--checkpoint", _run.Checkpoint]);
        Assert.Equal(2, code);
        Assert.StartsWith("dino: export: unknown command 'tflite'", error);
    }

    private string Export(string name, params string[] extra)
    {
        string path = Path.Combine(_run.NewFolder("export"), name);
        var (code, output, error) = CliRun.Dino(["export", "onnx", "--checkpoint", _run.Checkpoint, "--out", path, .. extra]);
        Assert.True(code == 0, error);
        Assert.Contains(path + ": fmnist-tiny teacher backbone, ONNX opset 17", output);
        return path;
    }
}
