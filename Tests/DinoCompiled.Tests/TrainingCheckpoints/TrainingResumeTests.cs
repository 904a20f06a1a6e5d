using System;
using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>
/// Training 2N steps equals training N, saving, loading into fresh buffers and a fresh optimizer, and training N more,
/// bit for bit: the checkpoint carries everything the optimizer, the EMA and the center depend on (per-tensor step
/// counts included, which differ for the last layer frozen in the first steps).
/// </summary>
public sealed unsafe class TrainingResumeTests
{
    private const string Model = "fmnist-tiny";
    private const int Half = 3;

    private sealed class Run
    {
        public Run(ParameterTable table)
        {
            Buffers = new TrainingStateBuffers(table);
            Optimizer = new AdamW(table);
        }

        public TrainingStateBuffers Buffers { get; set; }

        public AdamW Optimizer { get; set; }

        public long Step { get; set; }
    }

    [Fact]
    public void ResumingContinuesExactly()
    {
        var table = FmnistTiny.Parameters;
        var straight = Start(table);
        for (int i = 0; i < 2 * Half; i++) Train(straight);

        using var dir = new TemporaryDirectory();
        var resumed = Start(table);
        for (int i = 0; i < Half; i++) Train(resumed);
        TrainingCheckpoint.Save(dir.File("half.safetensors"), table, StateOf(resumed));
        resumed = new Run(table);
        var into = resumed.Buffers.State(Model);
        TrainingCheckpoint.Load(dir.File("half.safetensors"), table, into);
        into.OptimizerSteps.CopyTo(resumed.Optimizer.Steps);
        resumed.Step = into.Step;
        for (int i = 0; i < Half; i++) Train(resumed);

        TrainingCheckpoint.Save(dir.File("straight.safetensors"), table, StateOf(straight));
        TrainingCheckpoint.Save(dir.File("resumed.safetensors"), table, StateOf(resumed));
        Assert.Equal(File.ReadAllBytes(dir.File("straight.safetensors")), File.ReadAllBytes(dir.File("resumed.safetensors")));
        TrainingCheckpointRoundTripTests.AssertBitwise(straight.Buffers.Student, resumed.Buffers.Student, "student");
    }

    private static Run Start(ParameterTable table)
    {
        var run = new Run(table) { Buffers = TrainingStateBuffers.Random(table, 31) };
        Array.Clear(run.Buffers.FirstMoments);
        Array.Clear(run.Buffers.SecondMoments);
        Array.Clear(run.Buffers.Center);
        run.Buffers.Student.CopyTo(run.Buffers.Teacher, 0);
        return run;
    }

    private static TrainingState StateOf(Run run)
    {
        var state = run.Buffers.State(Model, run.Step);
        state.OptimizerSteps = run.Optimizer.Steps.ToArray();
        return state;
    }

    /// <summary>One step with gradients and teacher outputs drawn from the step number, as a seeded data pipeline would.</summary>
    private static void Train(Run run)
    {
        var b = run.Buffers;
        var random = new Random((int)run.Step + 1000);
        var gradients = new float[b.Student.Length];
        foreach (var p in b.Table)
            for (long i = p.Offset; i < p.Offset + p.Count; i++) gradients[i] = (float)(random.NextDouble() - 0.5);
        fixed (float* w = b.Student, t = b.Teacher, g = gradients, m = b.FirstMoments, v = b.SecondMoments)
        {
            run.Optimizer.Step(w, g, m, v, learningRate: 1e-3f, weightDecay: 0.04f, freezeLastLayer: run.Step < 2);
            TeacherEma.Update(t, w, b.Student.Length, 0.996f);
        }
        for (int k = 0; k < b.Center.Length; k++) b.Center[k] = 0.9f * b.Center[k] + 0.1f * (float)random.NextDouble();
        run.Step++;
    }
}
