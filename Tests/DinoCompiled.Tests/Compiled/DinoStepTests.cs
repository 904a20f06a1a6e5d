using System;
using DinoCompiled.Compiled;
using DinoCompiled.Models;
using DinoCompiled.Training;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Compiled;

/// <summary>The compiled step as a whole: repeatable to the bit, and free of managed allocation once warm.</summary>
public sealed class DinoStepTests
{
    private readonly ITestOutputHelper _output;

    public DinoStepTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public unsafe void TwoRunsOnTheSameInputsAreBitwiseIdentical()
    {
        using var setup = new StepSetup<FmnistTiny>(batch: 3, localCrops: 2, seed: 7);
        double first = setup.Run();
        var gradients = setup.Gradients.Span.ToArray();
        var logits = setup.Step.StudentLogits.ToArray();
        double second = setup.Run();
        Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(second));
        Assert.True(gradients.AsSpan().SequenceEqual(setup.Gradients.Span), "The gradients of two identical steps differ.");
        Assert.True(logits.AsSpan().SequenceEqual(setup.Step.StudentLogits), "The logits of two identical steps differ.");
        Assert.True(double.IsFinite(first) && first > 0);
    }

    [Fact]
    public unsafe void AStepWithTheOptimizerAllocatesNothingOnceWarm()
    {
        using var setup = new StepSetup<FmnistTiny>(batch: 4, localCrops: 2, seed: 3);
        var table = FmnistTiny.Parameters;
        using var moment1 = new NativeBuffer(table.FlatLength);
        using var moment2 = new NativeBuffer(table.FlatLength);
        var optimizer = new AdamW(table);
        var norms = new double[table.Count];
        void FullStep()
        {
            setup.Run();
            GradientClipping.ClipPerTensor(setup.Gradients.Data, table, 3f, norms);
            optimizer.Step(setup.Student.Data, setup.Gradients.Data, moment1.Data, moment2.Data, 1e-4f, 0.04f, freezeLastLayer: false);
            TeacherEma.Update(setup.Teacher.Data, setup.Student.Data, table.FlatLength, 0.996f);
            Cpu.DinoLoss.UpdateCenter(setup.Step.TeacherLogitsPtr, setup.Center.Data, 2 * 4, FmnistTiny.Description.Architecture.Head.OutDim, 0.9f);
        }

        FullStep();
        FullStep();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++) FullStep();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 3;
        _output.WriteLine($"managed bytes allocated per step after warm-up: {perStep}");
        Assert.Equal(0, perStep);
    }
}
