using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using DinoCompiled.Checkpoints;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.TestModels;
using Xunit;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>A checkpoint gives back exactly what was saved, bit for bit, and nothing is written where nothing was saved.</summary>
public sealed class TrainingCheckpointRoundTripTests
{
    private const string Model = "fmnist-tiny";

    [Fact]
    public void EveryTensorStepCountScalarAndBlobComesBackBitwise()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("run.safetensors");
        var table = FmnistTiny.Parameters;
        var saved = TrainingStateBuffers.Random(table, seed: 1);
        var state = saved.State(Model, step: 1234, epoch: 3);
        TrainingCheckpoint.Save(path, table, state);

        var loaded = TrainingStateBuffers.Poisoned(table);
        var into = loaded.State(Model);
        into.OptimizerSteps = Array.Empty<long>();
        into.RngState = Array.Empty<byte>();
        into.Metadata.Clear();
        TrainingCheckpoint.Load(path, table, into);

        AssertBitwise(saved.Student, loaded.Student, "student");
        AssertBitwise(saved.Teacher, loaded.Teacher, "teacher");
        AssertBitwise(saved.FirstMoments, loaded.FirstMoments, "exp_avg");
        AssertBitwise(saved.SecondMoments, loaded.SecondMoments, "exp_avg_sq");
        AssertBitwise(saved.Center, loaded.Center, "center");
        Assert.Equal(state.OptimizerSteps, into.OptimizerSteps);
        Assert.Equal(1234, into.Step);
        Assert.Equal(3, into.Epoch);
        Assert.Equal(state.RngState, into.RngState);
        Assert.Equal(state.Metadata.OrderBy(e => e.Key), into.Metadata.OrderBy(e => e.Key));
    }

    [Fact]
    public void PaddingAndTheMomentsOfFrozenTensorsLoadAsZero()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("run.safetensors");
        var table = PaddedTable.Create();
        TrainingCheckpoint.Save(path, table, TrainingStateBuffers.Random(table, seed: 2).State(PaddedTable.Name, step: 5));

        var loaded = TrainingStateBuffers.Poisoned(table);
        TrainingCheckpoint.Load(path, table, loaded.State(PaddedTable.Name));

        var inTensor = new bool[table.FlatLength];
        foreach (var p in table) inTensor.AsSpan((int)p.Offset, (int)p.Count).Fill(true);
        foreach (var flat in new[] { loaded.Student, loaded.Teacher, loaded.FirstMoments, loaded.SecondMoments })
        {
            for (int i = 0; i < flat.Length; i++)
                if (!inTensor[i]) Assert.True(flat[i] == 0 && !float.IsNegative(flat[i]), $"padding element {i} is {flat[i]}");
        }
        var frozen = table["head.last_layer.weight_g"];
        Assert.False(frozen.Trainable);
        Assert.All(loaded.FirstMoments.AsSpan((int)frozen.Offset, (int)frozen.Count).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(loaded.SecondMoments.AsSpan((int)frozen.Offset, (int)frozen.Count).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void TheSameStateGivesTheSameBytes()
    {
        using var dir = new TemporaryDirectory();
        var table = ReducedVit.Parameters;
        var state = TrainingStateBuffers.Random(table, seed: 3).State("reduced-vit", step: 9);
        TrainingCheckpoint.Save(dir.File("a.safetensors"), table, state);
        TrainingCheckpoint.Save(dir.File("b.safetensors"), table, state);

        Assert.Equal(File.ReadAllBytes(dir.File("a.safetensors")), File.ReadAllBytes(dir.File("b.safetensors")));
    }

    [Fact]
    public void ATrainedLastLayerGainFollowsTheTrainableFlag()
    {
        // ReducedVit trains weight_g (NormLastLayer = false), so it has moments; FmnistTiny's is frozen and has none.
        using var dir = new TemporaryDirectory();
        TrainingCheckpoint.Save(dir.File("reduced.safetensors"), ReducedVit.Parameters, TrainingStateBuffers.Random(ReducedVit.Parameters, 4).State("reduced-vit"));
        TrainingCheckpoint.Save(dir.File("tiny.safetensors"), FmnistTiny.Parameters, TrainingStateBuffers.Random(FmnistTiny.Parameters, 4).State(Model));

        using (var reduced = SafetensorsFile.Open(dir.File("reduced.safetensors")))
            Assert.True(reduced.Contains("optimizer.exp_avg.student.head.last_layer.weight_g"));
        using var tiny = SafetensorsFile.Open(dir.File("tiny.safetensors"));
        Assert.False(tiny.Contains("optimizer.exp_avg.student.head.last_layer.weight_g"));
        Assert.True(tiny.Contains("student.head.last_layer.weight_g"));
    }

    [Fact]
    public void ReservedMetadataKeysAreRefusedOnSave()
    {
        using var dir = new TemporaryDirectory();
        var table = FmnistTiny.Parameters;
        var state = TrainingStateBuffers.Random(table, 5).State(Model);
        state.Metadata["model"] = "something";

        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(dir.File("run.safetensors"), table, state));
        Assert.Contains("'model' is reserved", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void BuffersOfTheWrongLengthAreRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TemporaryDirectory();
        var table = FmnistTiny.Parameters;
        var state = TrainingStateBuffers.Random(table, 6).State(Model);
        state.TeacherParameters = new float[table.FlatLength - 1];

        var error = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Save(dir.File("run.safetensors"), table, state));
        Assert.Equal($"TeacherParameters holds {table.FlatLength - 1} floats; the model needs {table.FlatLength}.", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public unsafe void NativeBuffersSaveThroughWrap()
    {
        using var dir = new TemporaryDirectory();
        var table = FmnistTiny.Parameters;
        var managed = TrainingStateBuffers.Random(table, 7);
        using var native = new DinoCompiled.Compiled.NativeBuffer(table.FlatLength);
        managed.Student.CopyTo(native.Span);
        var state = managed.State(Model);
        state.StudentParameters = TrainingState.Wrap(native);
        TrainingCheckpoint.Save(dir.File("native.safetensors"), table, state);
        TrainingCheckpoint.Save(dir.File("managed.safetensors"), table, managed.State(Model));

        Assert.Equal(File.ReadAllBytes(dir.File("managed.safetensors")), File.ReadAllBytes(dir.File("native.safetensors")));
    }

    internal static void AssertBitwise(float[] expected, float[] actual, string what)
    {
        var e = MemoryMarshal.Cast<float, int>(expected.AsSpan());
        var a = MemoryMarshal.Cast<float, int>(actual.AsSpan());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            if (e[i] != a[i]) Assert.Fail($"{what}[{i}]: saved bits 0x{e[i]:x8} ({expected[i]}), loaded 0x{a[i]:x8} ({actual[i]})");
    }
}
