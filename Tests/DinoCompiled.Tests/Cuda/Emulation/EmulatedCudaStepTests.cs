using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.Training;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Cuda.Emulation;

/// <summary>
/// The generated fp32 CUDA schedule of a whole DINO step (teacher and student forward, the loss kernels, the backward)
/// run on the CPU emulator through <see cref="CudaStepSequence{TModel}"/>, the device step's own sequence, against the
/// CPU step on the same weights, crops, drop-path scales, center and temperatures. Each student and teacher output, the
/// loss and every parameter's gradient must be within the fp32 conformance bound (1e-4 relative, ‖gpu − cpu‖₂ / ‖cpu‖₂)
/// that the GPU itself will be held to. The arenas start as NaN, so a schedule that reads what it has not written fails.
/// The bf16 step (the teacher's forward-only schedule, the student's training schedules) is held to the bf16 bound, 3e-2,
/// on every one of them, and the bf16 teacher forward alone on the teacher's features and logits.
/// </summary>
public sealed unsafe class EmulatedCudaStepTests(ITestOutputHelper log)
{
    private const int Batch = 1, LocalCrops = 2, Seed = 11;

    [EmulatorFact]
    public void FmnistTinyFp32StepMatchesTheCpuStep()
    {
        var results = RunWholeStep(bf16: false);
        var failed = results.Where(r => !(r.Error <= CudaConformance.Bound(CudaPrecision.Fp32))).ToList();
        Assert.True(failed.Count == 0, "beyond 1e-4: " + string.Join(", ", failed.Select(f => f.Name + " " + f.Error.ToString("E2"))));
    }

    /// <summary>
    /// The bf16 step: the teacher's forward-only schedule on its bf16 copy, the student's bf16 training schedules on its
    /// own, flash attention forward and backward on the emulated <c>mma</c>, the bf16 logits' gradient. Every output and
    /// gradient must be within the bf16 bound (3e-2), and the features must differ from the CPU's by more than an fp32
    /// path would (1e-5), so the test cannot pass on fp32 schedules.
    /// </summary>
    [EmulatorFact]
    public void FmnistTinyBf16StepMatchesTheCpuStep()
    {
        var results = RunWholeStep(bf16: true);
        double bound = CudaConformance.Bound(CudaPrecision.Bf16);
        var failed = results.Where(r => !(r.Error <= bound)).ToList();
        Assert.True(failed.Count == 0, $"beyond {bound:E0}: " + string.Join(", ", failed.Select(f => f.Name + " " + f.Error.ToString("E2"))));
        double features = results.Single(r => r.Name == "student.features").Error;
        Assert.True(features > 1e-5, $"student.features agree to {features:E2}: the step did not run in bf16");
    }

    /// <summary>One whole step on the emulator and on the CPU from the same weights and inputs: the relative error of the loss, each output and each gradient.</summary>
    private List<(string Name, double Error)> RunWholeStep(bool bf16)
    {
        var description = FmnistTiny.Description;
        var a = description.Architecture;
        var table = description.Parameters;
        long flat = table.FlatLength;
        var random = new Random(Seed);

        using var student = new NativeBuffer(flat);
        using var teacher = new NativeBuffer(flat);
        ParameterInitializer.Initialize(student.Data, table, Seed);
        // A teacher a little away from the student, as after some EMA steps, so the two forwards are told apart.
        for (long i = 0; i < flat; i++) teacher.Data[i] = student.Data[i] * (float)(1 + 0.05 * (random.NextDouble() - 0.5));

        var layout = new CudaStepLayout(description, Batch, LocalCrops, bf16 ? FmnistTiny.GpuPlans : null);
        using var globalCrops = Random(random, (long)layout.GlobalRows * a.Channels * a.GlobalCrop * a.GlobalCrop, 2);
        using var localCrops = Random(random, (long)layout.LocalRows * a.Channels * a.LocalCrop * a.LocalCrop, 2);
        using var globalDrop = DropScales(random, 2L * a.Depth * layout.GlobalRows);
        using var localDrop = DropScales(random, 2L * a.Depth * layout.LocalRows);
        using var center = Random(random, a.Head.OutDim, 0.5);
        var inputs = new StepInputs
        {
            GlobalCrops = globalCrops.Ptr, LocalCrops = localCrops.Ptr, GlobalDropScales = globalDrop.Ptr, LocalDropScales = localDrop.Ptr, Center = center.Ptr,
            StudentTemperature = 0.1f, TeacherTemperature = 0.05f,
        };

        using var cpuGradients = new NativeBuffer(flat);
        using var cpu = new DinoStep<FmnistTiny>(Batch, LocalCrops);
        double cpuLoss = cpu.Run(student.Ptr, teacher.Ptr, cpuGradients.Ptr, flat, inputs);

        var ops = new EmulatedCudaOps(FmnistTiny.CudaModule);
        using var buffers = new EmulatedStepBuffers(layout, flat);
        {
            var step = buffers.Step;
            var gradients = buffers.Gradients;
            var weights = new CudaStepWeights { Student = student.Ptr, Teacher = teacher.Ptr, Gradients = gradients.Ptr };
            if (bf16)
            {
                // The copies AdamW and the EMA keep on the device, made as a parameter load makes them.
                Assert.Equal(0, flat % 4);
                weights = weights with { StudentBf16 = Bf16Copy(ops, student, buffers.Poisoned(flat / 2)), TeacherBf16 = Bf16Copy(ops, teacher, buffers.Poisoned(flat / 2)) };
            }
            var clock = Stopwatch.StartNew();
            CudaStepSequence<FmnistTiny>.Queue(ops, new CudaLossKernels(FmnistTiny.CudaModule, bf16), layout, step, weights, inputs, gradients.Clear);
            log.WriteLine($"emulated {(bf16 ? "bf16" : "fp32")} step: {ops.Launches} launches, {ops.Gemms} GEMMs, {clock.Elapsed.TotalSeconds:F1} s; " +
                          $"arenas {(layout.GlobalArena + layout.LocalArena + layout.HeadArena) * 4:N0} bytes");
            foreach (var (kernel, seconds) in ops.KernelSeconds.OrderByDescending(k => k.Value).Take(12)) log.WriteLine($"  {kernel,-60} {seconds:F2} s");

            var rowLosses = new ReadOnlySpan<double>((double*)(float*)step.RowLosses, layout.Rows);
            double gpuLoss = CudaDinoStep<FmnistTiny>.LossFromRowLosses(rowLosses, Batch, LocalCrops);
            var results = new List<(string Name, double Error)> { ("loss", Math.Abs(gpuLoss - cpuLoss) / Math.Abs(cpuLoss)) };
            void Compare(string name, ReadOnlySpan<float> expected, Ptr actual)
            {
                var values = new ReadOnlySpan<float>((float*)actual, expected.Length);
                Assert.True(Norm(expected) > 0, name + " is zero on the CPU: the comparison would prove nothing");
                results.Add((name, CudaConformance.RelativeError(values, expected)));
            }
            Compare("student.features", cpu.StudentFeatures, step.Features);
            Compare("student.logits", cpu.StudentLogits, step.Logits);
            Compare("teacher.features", cpu.TeacherFeatures, step.TeacherFeatures);
            Compare("teacher.logits", cpu.TeacherLogits, step.TeacherLogits);
            foreach (var p in table.Where(p => p.Trainable))
                Compare("grad." + p.Name, cpuGradients.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), gradients.Ptr + p.Offset);

            foreach (var (name, error) in results.Take(5).Concat(results.Skip(5).OrderByDescending(r => r.Error).Take(8))) log.WriteLine($"{name,-40} {error:E2}");
            return results;
        }
    }

    private static Ptr Bf16Copy(EmulatedCudaOps ops, NativeBuffer weights, NativeBuffer copy)
    {
        ops.Launch("dino_convert_f32_to_bf16", (uint)Math.Min(16384, (weights.Length / 4 + 255) / 256), 1, 256,
            new KernelArgs().Ptr(weights.Ptr).Ptr(copy.Ptr).Long(weights.Length));
        return copy.Ptr;
    }

    [EmulatorFact]
    public void FmnistTinyBf16TeacherForwardMatchesTheCpuTeacher()
    {
        var description = FmnistTiny.Description;
        var a = description.Architecture;
        var table = description.Parameters;
        long flat = table.FlatLength;
        var random = new Random(Seed + 1);
        using var teacher = new NativeBuffer(flat);
        ParameterInitializer.Initialize(teacher.Data, table, Seed + 1);
        var layout = new CudaStepLayout(description, Batch, LocalCrops);
        using var globalCrops = Random(random, (long)layout.GlobalRows * a.Channels * a.GlobalCrop * a.GlobalCrop, 2);
        using var localCrops = Random(random, (long)layout.LocalRows * a.Channels * a.LocalCrop * a.LocalCrop, 2);
        using var center = Random(random, a.Head.OutDim, 0.5);
        using var cpu = new DinoStep<FmnistTiny>(Batch, LocalCrops);
        using var cpuGradients = new NativeBuffer(flat);
        cpu.Run(teacher.Ptr, teacher.Ptr, cpuGradients.Ptr, flat, new StepInputs
        {
            GlobalCrops = globalCrops.Ptr, LocalCrops = localCrops.Ptr, Center = center.Ptr, StudentTemperature = 0.1f, TeacherTemperature = 0.05f,
        });

        var ops = new EmulatedCudaOps(FmnistTiny.CudaModule);
        Assert.Equal(0, flat % 4);
        using var teacherBf16 = new NativeBuffer(flat / 2);
        Bf16Copy(ops, teacher, teacherBf16);
        GpuSegmentPlan Plan(int crop) => FmnistTiny.GpuPlans.Single(p => p.Crop == crop);
        long ArenaFloats(GpuSegmentPlan p, int units) => (p.ForwardFixedBytes + p.ForwardBytesPerUnit * units + 3) / 4;
        int units = layout.GlobalRows;
        using var backboneArena = new NativeBuffer(ArenaFloats(Plan(a.GlobalCrop), units));
        using var headArena = new NativeBuffer(ArenaFloats(Plan(0), units));
        using var features = new NativeBuffer(layout.TeacherFeatures);
        using var logits = new NativeBuffer(layout.TeacherLogits);
        foreach (var buffer in new[] { backboneArena, headArena, features, logits }) buffer.Span.Fill(float.NaN);

        var clock = Stopwatch.StartNew();
        FmnistTiny.BackboneForwardOnlyCudaBf16(a.GlobalCrop, new SegmentBuffers
        {
            Parameters = teacher.Ptr, ParametersBf16 = teacherBf16.Ptr, Arena = backboneArena.Ptr, Units = units, Input = globalCrops.Ptr, Output = features.Ptr,
        }, ops);
        FmnistTiny.HeadForwardOnlyCudaBf16(new SegmentBuffers
        {
            Parameters = teacher.Ptr, ParametersBf16 = teacherBf16.Ptr, Arena = headArena.Ptr, Units = units, Input = features.Ptr, Output = logits.Ptr,
        }, ops);
        log.WriteLine($"emulated bf16 teacher forward: {ops.Launches} launches, {ops.Gemms} GEMMs, {clock.Elapsed.TotalSeconds:F1} s; " +
                      $"arenas {backboneArena.Length * 4:N0} + {headArena.Length * 4:N0} bytes");

        double bound = CudaConformance.Bound(CudaPrecision.Bf16);
        double featureError = CudaConformance.RelativeError(features.Span, cpu.TeacherFeatures);
        double logitError = CudaConformance.RelativeError(logits.Span, cpu.TeacherLogits);
        log.WriteLine($"teacher.features {featureError:E2}, teacher.logits {logitError:E2} (bound {bound:E0})");
        Assert.True(featureError <= bound, $"teacher.features differ by {featureError:E2} relative (bound {bound:E0})");
        Assert.True(logitError <= bound, $"teacher.logits differ by {logitError:E2} relative (bound {bound:E0})");
        // bf16 must have been used: the fp32 schedule would agree to about 1e-6.
        Assert.True(featureError > 1e-5, $"teacher.features agree to {featureError:E2}: the schedule did not run in bf16");
    }

    internal static NativeBuffer Random(Random random, long count, double spread)
    {
        var buffer = new NativeBuffer(Math.Max(1, count));
        for (long i = 0; i < buffer.Length; i++) buffer.Data[i] = (float)((random.NextDouble() * 2 - 1) * spread);
        return buffer;
    }

    // Drop path with rate 0.2: each (block, branch, row) scale is 0 or 1 / 0.8.
    private static NativeBuffer DropScales(Random random, long count)
    {
        var buffer = new NativeBuffer(Math.Max(1, count));
        for (long i = 0; i < buffer.Length; i++) buffer.Data[i] = random.NextDouble() < 0.2 ? 0f : 1.25f;
        return buffer;
    }

    internal static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
