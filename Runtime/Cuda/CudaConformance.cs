using System;
using System.Collections.Generic;
using DinoCompiled.Compiled;
using DinoCompiled.Training;

namespace DinoCompiled.Cuda;

/// <summary>
/// The GPU against the CPU on the same weights and inputs: one whole DINO training step (teacher and student forward,
/// loss, backward, clipping, AdamW, EMA, center) run by <see cref="Trainer{TModel}"/> and by <see cref="CudaTrainer{TModel}"/>
/// from one initialization on one batch of random crops, with drop path active and the last layer trained. Compared,
/// each as ‖gpu − cpu‖₂ / ‖cpu‖₂: the student and teacher forward outputs, the loss, every parameter's gradient, and after
/// the step every parameter, both moments, the teacher and the center. Bounds: fp32 1e-4, TF32 5e-3, bf16 3e-2.
/// </summary>
public static class CudaConformance
{
    /// <summary>The bound of a precision mode.</summary>
    public static double Bound(CudaPrecision precision) => precision switch
    {
        CudaPrecision.Fp32 => 1e-4,
        CudaPrecision.Tf32 => 5e-3,
        _ => 3e-2,
    };

    /// <summary>Runs the comparison for one model and mode; returns one result per compared tensor.</summary>
    public static unsafe List<ConformanceResult> Run<TModel>(CudaDevice device, CudaPrecision precision, int batch, int localCrops, int seed)
        where TModel : ICudaDinoModel
    {
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = batch, LocalCrops = localCrops, Seed = seed, WarmupEpochs = 0, FreezeLastLayerEpochs = 0,
            LearningRate = 5e-3, // large enough that one AdamW step moves every weight visibly
        };
        var a = TModel.Description.Architecture;
        var random = new Random(seed);
        var global = RandomCrops(random, 2L * batch * a.Channels * a.GlobalCrop * a.GlobalCrop);
        var local = RandomCrops(random, Math.Max(1, (long)localCrops * batch * a.Channels * a.LocalCrop * a.LocalCrop));

        using var cpu = new Trainer<TModel>(options, iterationsPerEpoch: 1);
        using var gpu = new CudaTrainer<TModel>(device, precision, options, iterationsPerEpoch: 1, cpu.Student.Span);
        double cpuLoss;
        fixed (float* g = global, l = local)
            cpuLoss = cpu.TrainStep(new Ptr(g), new Ptr(l)).Loss;
        double gpuLoss = gpu.TrainStep(global, local).Loss;

        string model = TModel.Description.Name, mode = precision.ToString().ToLowerInvariant();
        double bound = Bound(precision);
        var results = new List<ConformanceResult>
        {
            new(model, mode, "loss", Math.Abs(gpuLoss - cpuLoss) / Math.Abs(cpuLoss), bound),
        };
        void Compare(string name, ReadOnlySpan<float> expected, DeviceBuffer actual, long offset = 0)
        {
            var values = new float[expected.Length];
            actual.Download(values, offset);
            results.Add(new ConformanceResult(model, mode, name, RelativeError(values, expected), bound));
        }

        Compare("student.features", cpu.CompiledStep.StudentFeatures, gpu.CompiledStep.StudentFeatures);
        Compare("student.logits", cpu.CompiledStep.StudentLogits, gpu.CompiledStep.StudentLogits);
        Compare("teacher.features", cpu.CompiledStep.TeacherFeatures, gpu.CompiledStep.TeacherFeatures);
        Compare("teacher.logits", cpu.CompiledStep.TeacherLogits, gpu.CompiledStep.TeacherLogits);
        foreach (var p in cpu.Parameters)
        {
            if (p.Trainable) Compare("grad." + p.Name, cpu.Gradients.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), gpu.Gradients, p.Offset);
        }
        foreach (var p in cpu.Parameters)
        {
            Compare("after.student." + p.Name, cpu.Student.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), gpu.Student, p.Offset);
            Compare("after.teacher." + p.Name, cpu.Teacher.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), gpu.Teacher, p.Offset);
            if (!p.Trainable) continue;
            Compare("after.adam_m." + p.Name, cpu.FirstMoment.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), gpu.FirstMoment, p.Offset);
            Compare("after.adam_v." + p.Name, cpu.SecondMoment.Span.Slice(checked((int)p.Offset), checked((int)p.Count)), gpu.SecondMoment, p.Offset);
        }
        Compare("after.center", cpu.Center.Span, gpu.Center);
        return results;
    }

    /// <summary>‖actual − expected‖₂ / ‖expected‖₂ in double (0 when both are zero; NaN anywhere gives NaN).</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length) throw new ArgumentException($"Lengths differ: {actual.Length} and {expected.Length}.", nameof(actual));
        double difference = 0, reference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = (double)actual[i] - expected[i];
            difference += d * d;
            reference += (double)expected[i] * expected[i];
        }
        if (difference == 0) return 0;
        return Math.Sqrt(difference) / Math.Max(Math.Sqrt(reference), double.Epsilon);
    }

    private static float[] RandomCrops(Random random, long count)
    {
        // Normalized-image-like values: roughly zero mean, unit spread.
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 4 - 2);
        return values;
    }
}
