using System;
using DinoCompiled.Compiled;
using DinoCompiled.Models;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Compiled;

/// <summary>The training loop's reproducibility: same seed, same bits; and 2N steps equal N steps, a state transfer, and N more.</summary>
public sealed class TrainerTests
{
    private static readonly TrainingOptions s_options = new() { Epochs = 2, BatchSize = 3, LocalCrops = 2, Seed = 11 };
    private const int IterationsPerEpoch = 2;

    [Fact]
    public void TwoRunsWithTheSameSeedAreBitwiseIdentical()
    {
        using var a = new Trainer<FmnistTiny>(s_options, IterationsPerEpoch);
        using var b = new Trainer<FmnistTiny>(s_options, IterationsPerEpoch);
        using var crops = new SyntheticCrops(s_options);
        for (int i = 0; i < 3; i++)
        {
            var ra = a.TrainStep(crops.Global(i), crops.Local(i));
            var rb = b.TrainStep(crops.Global(i), crops.Local(i));
            Assert.Equal(ra, rb);
        }
        AssertSameState(a, b);
    }

    [Fact]
    public void ResumingMidRunContinuesExactly()
    {
        using var crops = new SyntheticCrops(s_options);
        using var straight = new Trainer<FmnistTiny>(s_options, IterationsPerEpoch);
        for (int i = 0; i < 4; i++) straight.TrainStep(crops.Global(i), crops.Local(i));

        using var first = new Trainer<FmnistTiny>(s_options, IterationsPerEpoch);
        for (int i = 0; i < 2; i++) first.TrainStep(crops.Global(i), crops.Local(i));
        using var resumed = new Trainer<FmnistTiny>(s_options with { Seed = s_options.Seed }, IterationsPerEpoch);
        Transfer(first, resumed);
        for (int i = 2; i < 4; i++) resumed.TrainStep(crops.Global(i), crops.Local(i));

        AssertSameState(straight, resumed);
        Assert.Equal(4, resumed.Step);
    }

    [Fact]
    public void TheLastLayerIsFrozenDuringTheFirstEpochOnly()
    {
        using var crops = new SyntheticCrops(s_options);
        using var trainer = new Trainer<FmnistTiny>(s_options, IterationsPerEpoch);
        var v = FmnistTiny.Parameters["head.last_layer.weight_v"];
        var before = trainer.Student.Span.Slice((int)v.Offset, (int)v.Count).ToArray();
        for (int i = 0; i < IterationsPerEpoch; i++) trainer.TrainStep(crops.Global(i), crops.Local(i));
        Assert.True(before.AsSpan().SequenceEqual(trainer.Student.Span.Slice((int)v.Offset, (int)v.Count)), "The last layer moved during epoch 0.");
        trainer.TrainStep(crops.Global(2), crops.Local(2));
        Assert.False(before.AsSpan().SequenceEqual(trainer.Student.Span.Slice((int)v.Offset, (int)v.Count)), "The last layer did not train in epoch 1.");
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunBeforeAnythingIsUpdated()
    {
        using var crops = new SyntheticCrops(s_options);
        using var trainer = new Trainer<FmnistTiny>(s_options, IterationsPerEpoch);
        trainer.TrainStep(crops.Global(0), crops.Local(0));
        var w = FmnistTiny.Parameters["head.mlp.0.weight"];
        trainer.Student.Span[(int)w.Offset] = float.NaN;
        var student = trainer.Student.Span.ToArray();
        var teacher = trainer.Teacher.Span.ToArray();
        var center = trainer.Center.Span.ToArray();

        var exception = Assert.Throws<TrainingDivergedException>(() => trainer.TrainStep(crops.Global(1), crops.Local(1)));
        Assert.Contains("the loss became NaN at step 1", exception.Message);
        Assert.Equal(1, trainer.Step);
        Assert.True(trainer.Teacher.Span.SequenceEqual(teacher), "The teacher moved on a diverged step.");
        Assert.True(trainer.Center.Span.SequenceEqual(center), "The center moved on a diverged step.");
        Assert.True(MemoryExtensions.SequenceEqual(trainer.Student.Span.Slice(0, (int)w.Offset), student.AsSpan(0, (int)w.Offset)), "The student moved on a diverged step.");
    }

    private static void Transfer(Trainer<FmnistTiny> from, Trainer<FmnistTiny> to)
    {
        from.Student.Span.CopyTo(to.Student.Span);
        from.Teacher.Span.CopyTo(to.Teacher.Span);
        from.FirstMoment.Span.CopyTo(to.FirstMoment.Span);
        from.SecondMoment.Span.CopyTo(to.SecondMoment.Span);
        from.Center.Span.CopyTo(to.Center.Span);
        from.Optimizer.Steps.CopyTo(to.Optimizer.Steps);
        to.Step = from.Step;
    }

    private static void AssertSameState(Trainer<FmnistTiny> a, Trainer<FmnistTiny> b)
    {
        Assert.True(a.Student.Span.SequenceEqual(b.Student.Span), "Student weights differ.");
        Assert.True(a.Teacher.Span.SequenceEqual(b.Teacher.Span), "Teacher weights differ.");
        Assert.True(a.FirstMoment.Span.SequenceEqual(b.FirstMoment.Span), "First moments differ.");
        Assert.True(a.SecondMoment.Span.SequenceEqual(b.SecondMoment.Span), "Second moments differ.");
        Assert.True(a.Center.Span.SequenceEqual(b.Center.Span), "Centers differ.");
    }

    /// <summary>Different random crops for every step index, the same on every call.</summary>
    private sealed class SyntheticCrops : IDisposable
    {
        private readonly NativeBuffer[] _global = new NativeBuffer[4], _local = new NativeBuffer[4];

        public SyntheticCrops(TrainingOptions options)
        {
            var a = FmnistTiny.Description.Architecture;
            var random = new Random(5);
            for (int i = 0; i < 4; i++)
            {
                _global[i] = Fill(new NativeBuffer(2L * options.BatchSize * a.GlobalCrop * a.GlobalCrop), random);
                _local[i] = Fill(new NativeBuffer((long)options.LocalCrops * options.BatchSize * a.LocalCrop * a.LocalCrop), random);
            }
        }

        public Ptr Global(int step) => _global[step].Ptr;

        public Ptr Local(int step) => _local[step].Ptr;

        private static NativeBuffer Fill(NativeBuffer buffer, Random random)
        {
            var span = buffer.Span;
            for (int i = 0; i < span.Length; i++) span[i] = (float)ParameterInitializer.StandardNormal(random);
            return buffer;
        }

        public void Dispose()
        {
            foreach (var b in _global) b.Dispose();
            foreach (var b in _local) b.Dispose();
        }
    }
}
