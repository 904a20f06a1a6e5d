using System;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Kernels;
using DinoCompiled.Tests.Onnx;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>
/// <c>--init-from</c>: a backbone in timm/DINO keys (plain or with the reference's prefixes) or a training checkpoint's
/// teacher loads into a fresh model with identical features; another position grid is resized as PyTorch's bicubic
/// interpolation does; a file that does not fit names every kind of misfit and changes nothing.
/// </summary>
public sealed class PretrainedBackboneTests
{
    private static readonly ParameterTable Table = FmnistTiny.Parameters;
    private const string Model = "fmnist-tiny";

    [Fact]
    public void AnExportedBackboneGivesAFreshModelIdenticalFeaturesAndLeavesItsHeadAlone()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("backbone.safetensors");
        using var source = OnnxExportFixture.Parameters(FmnistTiny.Description, seed: 51);
        BackboneExport.Save(path, Table, source.Span.ToArray(), Model);

        using var fresh = OnnxExportFixture.Parameters(FmnistTiny.Description, seed: 52);
        var headBefore = Head(fresh.Span);
        var report = PretrainedBackbone.Load(path, Table, fresh.Span, Model);
        Assert.Equal("a backbone", report.Source);
        Assert.Equal(Table.Count(p => p.Part == ModelPart.Backbone), report.Tensors);
        Assert.Null(report.ResizedGrid);
        Assert.True(headBefore.SequenceEqual(Head(fresh.Span)), "the head changed");

        var a = FmnistTiny.Description.Architecture;
        using var images = OnnxExportFixture.Images(FmnistTiny.Description, 4, a.GlobalCrop, seed: 53);
        var expected = OnnxExportFixture.CompiledFeatures<FmnistTiny>(source, images, 4, a.GlobalCrop);
        var actual = OnnxExportFixture.CompiledFeatures<FmnistTiny>(fresh, images, 4, a.GlobalCrop);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "features differ after loading the backbone");
    }

    /// <summary>The reference strips 'module.' (DDP) and 'backbone.' (MultiCropWrapper); a classifier head is ignored and reported.</summary>
    [Fact]
    public void PrefixedKeysAndAClassifierHeadLoadAsTheReferenceDoes()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("released.safetensors");
        var source = TrainingStateBuffers.Random(Table, 61).Teacher;
        var writer = new SafetensorsWriter();
        foreach (var p in Table.Where(p => p.Part == ModelPart.Backbone))
            writer.AddFloat32("module.backbone." + p.Name, source.AsMemory((int)p.Offset, (int)p.Count), p.Shape.AsSpan());
        writer.AddFloat32("head.weight", new float[10 * 128], 10, 128);
        writer.Write(path);

        var loaded = new float[Table.FlatLength];
        var report = PretrainedBackbone.Load(path, Table, loaded, Model);
        Assert.Equal(new[] { "head.weight" }, report.Ignored);
        foreach (var p in Table.Where(p => p.Part == ModelPart.Backbone))
            Assert.True(source.AsSpan((int)p.Offset, (int)p.Count).SequenceEqual(loaded.AsSpan((int)p.Offset, (int)p.Count)), p.Name);
    }

    [Fact]
    public void ATrainingCheckpointGivesItsTeachersBackbone()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("checkpoint.safetensors");
        var buffers = TrainingStateBuffers.Random(Table, 71);
        TrainingCheckpoint.Save(path, Table, buffers.State(Model));

        var loaded = new float[Table.FlatLength];
        var report = PretrainedBackbone.Load(path, Table, loaded, Model);
        Assert.Equal("the teacher of a training checkpoint", report.Source);
        var block = Table.First(p => p.Name == "blocks.0.attn.qkv.weight");
        Assert.True(buffers.Teacher.AsSpan((int)block.Offset, (int)block.Count).SequenceEqual(loaded.AsSpan((int)block.Offset, (int)block.Count)));
        Assert.False(buffers.Student.AsSpan((int)block.Offset, (int)block.Count).SequenceEqual(loaded.AsSpan((int)block.Offset, (int)block.Count)));
    }

    /// <summary>A 5×5 position grid into FmnistTiny's 7×7: PyTorch's bicubic with the reference's scale (7 + 0.1) / 5, in float64.</summary>
    [Fact]
    public void AnotherPositionGridIsResizedBicubicallyAsTheReferenceDoes()
    {
        const int sourceGrid = 5, grid = 7, dim = 128;
        using var dir = new TemporaryDirectory();
        string path = dir.File("grid5.safetensors");
        var source = TrainingStateBuffers.Random(Table, 81).Teacher;
        var random = new Random(82);
        var position = new float[(1 + sourceGrid * sourceGrid) * dim];
        for (int i = 0; i < position.Length; i++) position[i] = (float)(random.NextDouble() * 2 - 1);
        var writer = new SafetensorsWriter();
        foreach (var p in Table.Where(p => p.Part == ModelPart.Backbone))
            if (p.Name == "pos_embed") writer.AddFloat32(p.Name, position, 1, 1 + sourceGrid * sourceGrid, dim);
            else writer.AddFloat32(p.Name, source.AsMemory((int)p.Offset, (int)p.Count), p.Shape.AsSpan());
        writer.Write(path);

        var loaded = new float[Table.FlatLength];
        var report = PretrainedBackbone.Load(path, Table, loaded, Model);
        Assert.Equal((sourceGrid, grid), report.ResizedGrid);

        var slot = Table.First(p => p.Name == "pos_embed");
        var result = loaded.AsSpan((int)slot.Offset, (int)slot.Count);
        Assert.True(position.AsSpan(0, dim).SequenceEqual(result[..dim]), "the CLS position changed");
        // PyTorch's layout is channels-first [dim, g, g]; ours is [g*g, dim].
        var channelsFirst = new double[dim * sourceGrid * sourceGrid];
        for (int t = 0; t < sourceGrid * sourceGrid; t++)
            for (int c = 0; c < dim; c++) channelsFirst[c * sourceGrid * sourceGrid + t] = position[(1 + t) * dim + c];
        var expected = BicubicResizePlanTests.TorchBicubic(channelsFirst, dim, sourceGrid, grid, (grid + 0.1) / sourceGrid);
        double worst = 0;
        for (int t = 0; t < grid * grid; t++)
            for (int c = 0; c < dim; c++) worst = Math.Max(worst, Math.Abs(result[dim + t * dim + c] - expected[c * grid * grid + t]));
        Assert.True(worst < 1e-6, $"max error {worst:E2} against float64 bicubic");
    }

    [Fact]
    public void AFileThatDoesNotFitNamesItsMissingUnexpectedAndMisShapedKeysAndChangesNothing()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("other.safetensors");
        var source = TrainingStateBuffers.Random(Table, 91).Teacher;
        var writer = new SafetensorsWriter();
        foreach (var p in Table.Where(p => p.Part == ModelPart.Backbone))
        {
            if (p.Name == "norm.bias") continue;
            if (p.Name == "blocks.1.mlp.fc1.weight") writer.AddFloat32(p.Name, new float[256 * 128], 256, 128);
            else writer.AddFloat32(p.Name, source.AsMemory((int)p.Offset, (int)p.Count), p.Shape.AsSpan());
        }
        writer.AddFloat32("blocks.0.ls1.gamma", new float[128], 128);
        writer.Write(path);

        var destination = TrainingStateBuffers.Random(Table, 92).Student;
        var before = destination.ToArray();
        var error = Assert.Throws<CheckpointException>(() => PretrainedBackbone.Load(path, Table, destination, Model));
        Assert.Equal($"{path}: does not fit fmnist-tiny's backbone: missing norm.bias [128]; unexpected blocks.0.ls1.gamma [128]; " +
                     "mis-shaped blocks.1.mlp.fc1.weight [256, 128] in the file, [512, 128] in fmnist-tiny", error.Message);
        Assert.True(before.AsSpan().SequenceEqual(destination), "the destination changed");
    }

    [Fact]
    public void AFileThatIsNotSafetensorsIsOneLine()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("model.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]);
        var error = Assert.Throws<CheckpointException>(() => PretrainedBackbone.Load(path, Table, new float[Table.FlatLength], Model));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static float[] Head(Span<float> flat)
    {
        var head = new System.Collections.Generic.List<float>();
        foreach (var p in Table)
            if (p.Part == ModelPart.Head) head.AddRange(flat.Slice((int)p.Offset, (int)p.Count).ToArray());
        return head.ToArray();
    }
}
