using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The node-by-node timing of <c>dino gpu check</c> without a GPU: the bf16 step's sequence queued through a
/// <see cref="CudaNodeTimer"/> on recorded ops, with a clock whose every interval is 1 ms. Every node of every segment's
/// GPU plan must be announced exactly once, and the timed rows must be keyed exactly as the performance model's
/// estimates, so that the predicted-against-measured table joins row for row.
/// </summary>
public sealed unsafe class CudaNodeTimerTests
{
    private sealed class MillisecondClock : ICudaEventClock
    {
        public int Marks { get; private set; }
        public bool Synchronized { get; private set; }

        public void Record(int index)
        {
            Assert.Equal(Marks, index);
            Marks++;
        }

        public void Synchronize() => Synchronized = true;

        public double Seconds(int from, int to)
        {
            Assert.True(Synchronized, "read before the device was waited for");
            return (to - from) * 1e-3;
        }
    }

    [Fact]
    public void EveryPlanNodeOfTheBf16StepIsTimedOnceUnderTheModelsKey()
    {
        const int batch = 2, localCrops = 2;
        var a = FmnistTiny.Description.Architecture;
        var layout = new CudaStepLayout(FmnistTiny.Description, batch, localCrops, FmnistTiny.GpuPlans);
        // Recorded ops never dereference: distinct fake device addresses are enough.
        Ptr At(ulong address) => RecordingCudaOps.At(address << 20);
        var buffers = new CudaStepBuffers
        {
            GlobalArena = At(1), LocalArena = At(2), HeadArena = At(3), Features = At(4), FeatureGradients = At(5), Logits = At(6), LogitGradients = At(7),
            TeacherFeatures = At(8), TeacherLogits = At(9), TeacherProbabilities = At(10), RowLosses = At(11),
        };
        var weights = new CudaStepWeights { Student = At(12), Teacher = At(13), Gradients = At(14), StudentBf16 = At(15), TeacherBf16 = At(16) };
        var inputs = new StepInputs
        {
            GlobalCrops = At(17), LocalCrops = At(18), GlobalDropScales = At(19), LocalDropScales = At(20), Center = At(21), StudentTemperature = 0.1f, TeacherTemperature = 0.04f,
        };
        var recorded = new RecordingCudaOps();
        var clock = new MillisecondClock();
        var timer = new CudaNodeTimer(recorded, clock, FmnistTiny.GpuPlans);
        timer.Start();
        CudaStepSequence<FmnistTiny>.Queue(timer, new CudaLossKernels(FmnistTiny.CudaModule, bf16: true), layout, buffers, weights, inputs, () => { });
        var rows = timer.Finish();

        Assert.True(recorded.Calls.Count > 200, "the step queued almost nothing");
        Assert.Equal(clock.Marks - 1, rows.Sum(r => r.Seconds) * 1e3, 6);
        int Timed(string stage) => rows.Where(r => r.Stage == stage).Sum(r => r.Nodes);
        GpuSegmentPlan Plan(int crop) => FmnistTiny.GpuPlans.Single(p => p.Crop == crop);
        foreach (var (stage, crop) in new[] { ("teacher " + a.GlobalCrop, a.GlobalCrop), ("teacher head", 0) })
        {
            Assert.Equal(Plan(crop).Nodes.Count(n => n.Forward), Timed(stage + " forward"));
            Assert.Equal(0, Timed(stage + " backward"));
        }
        foreach (var (stage, crop) in new[] { ("student " + a.GlobalCrop, a.GlobalCrop), ("student " + a.LocalCrop, a.LocalCrop), ("student head", 0) })
        {
            Assert.Equal(Plan(crop).Nodes.Count(n => n.Forward), Timed(stage + " forward"));
            Assert.Equal(Plan(crop).Nodes.Count(n => !n.Forward), Timed(stage + " backward"));
        }

        var model = GpuPerformanceModel.Predict(FmnistTiny.Description, FmnistTiny.GpuPlans, GpuSpec.H100, batch, localCrops);
        var modelKeys = model.Kernels.Select(k => (k.Stage, k.Op)).ToHashSet();
        var timedKeys = rows.Where(r => r.Op != "(segment start)").Select(r => (r.Stage, r.Op)).ToHashSet();
        Assert.Empty(timedKeys.Except(modelKeys.Where(k => k.Op != "Center")).Select(k => k.Stage + " " + k.Op));
        Assert.Empty(modelKeys.Where(k => k.Op != "Center").Except(timedKeys).Select(k => k.Stage + " " + k.Op));
    }
}
