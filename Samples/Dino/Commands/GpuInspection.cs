using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Cuda;

namespace DinoCompiled.Cli;

/// <summary>What <c>dino inspect</c> prints of the GPU plans: the bf16 memory plan beside the CPU's, and a predicted step.</summary>
public static class GpuInspection
{
    public static void WriteMemoryPlan(ModelDescription model, ImmutableArray<GpuSegmentPlan> plans, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("GPU memory plan (bf16 activations, fp32 residual stream, statistics and logits; flash attention keeps no T x T)");
        o.WriteLine($"  {"segment",-14} {"train/unit",12} {"CPU/unit",12} {"forward/unit",12} {"fixed",12}");
        foreach (var plan in plans)
        {
            var cpu = model.Arenas.First(p => p.Segment == plan.Segment);
            o.WriteLine($"  {plan.Segment,-14} {Units.Bytes(plan.TrainingBytesPerUnit),12} {Units.Bytes(cpu.FloatsPerUnit * sizeof(float)),12} " +
                        $"{Units.Bytes(plan.ForwardBytesPerUnit),12} {Units.Bytes(plan.TrainingFixedBytes),12}");
        }
        o.WriteLine("  (train: the student's forward + backward; forward: the teacher's, which keeps no activations)");
    }

    public static void WritePrediction(GpuStepPrediction p, TextWriter o)
    {
        var a = p.Kernels;
        o.WriteLine();
        o.WriteLine($"Performance model: one DINO step on {p.Gpu.Description}, batch {p.Batch}, 2 global + {p.LocalCrops} local crops");
        o.WriteLine($"  roofline per kernel at {Pct(GpuEfficiency.Default.Gemm)} of the bf16 peak for GEMMs, {Pct(GpuEfficiency.Default.Attention)} for attention, " +
                    $"{Pct(GpuEfficiency.Default.Bandwidth)} of {p.Gpu.BytesPerSecond / 1e12:F2} TB/s, {GpuEfficiency.Default.LaunchSeconds * 1e6:F0} us per launch");
        o.WriteLine($"  {"stage",-22} {"op",-20} {"launches",8} {"TFLOP",9} {"GB",9} {"ms",9} {"share",6}  bound");
        foreach (var k in a.OrderByDescending(k => k.Seconds))
            o.WriteLine($"  {k.Stage,-22} {k.Op,-20} {k.Launches,8} {(k.TensorFlops + k.OtherFlops) / 1e12,9:F3} {k.Bytes / 1e9,9:F3} {k.Seconds * 1e3,9:F3} {k.Seconds / p.Seconds * 100,5:F1}%  {k.Bound}");
        double memorySeconds = a.Where(k => k.Bound == "memory").Sum(k => k.Seconds);
        o.WriteLine($"  memory-bound kernels: {memorySeconds * 1e3:F2} ms of {p.Seconds * 1e3:F2} ms ({memorySeconds / p.Seconds * 100:F1} %); " +
                    $"launches: {a.Sum(k => k.Launches)} ({a.Sum(k => k.Launches) * GpuEfficiency.Default.LaunchSeconds * 1e3:F2} ms of gaps)");
        o.WriteLine($"  step {p.Seconds * 1e3:F2} ms: {p.ImagesPerSecond:F0} images/s, {p.ModelFlops / 1e12:F2} TFLOP of model work, MFU {p.Mfu * 100:F1} %");
        o.WriteLine($"  GPU memory: activations {Units.Bytes(p.ArenaBytes)}, parameters and optimizer state {Units.Bytes(p.StateBytes)}");
    }

    private static string Pct(double fraction) => (fraction * 100).ToString("F0", CultureInfo.InvariantCulture) + " %";
}
