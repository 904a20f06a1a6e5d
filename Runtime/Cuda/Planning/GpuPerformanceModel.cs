using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace DinoCompiled.Cuda;

/// <summary>
/// Prices a DINO training step on a named GPU from the generator's GPU plans: every node of every segment is a kernel
/// whose time is its roofline, max(tensor FLOPs / (peak x GEMM or attention fraction), CUDA-core FLOPs / (fp32 peak x
/// fraction), bytes / (bandwidth x fraction)), plus the launch gap of each of the launches the bf16 schedule makes for it
/// (the plan's bytes include the traffic between them); the step is the sum over one stream.
/// <para>
/// The step is the reference DINO's: the teacher runs the backbone and head forward on the 2 global crops; the student
/// runs forward and backward on the 2 global and the local crops (each crop size its own segment, all images of a size
/// in one batch), and the head on every crop; then the loss and center over the logits, and the parameter passes
/// (gradient norm, clip, AdamW writing the bf16 student copy, EMA writing the bf16 teacher copy) over the flat buffer.
/// </para>
/// </summary>
public static class GpuPerformanceModel
{
    /// <summary>Bytes per parameter of the optimizer passes: zero the gradients (4), their norm (4), the clip (8),
    /// AdamW reading p, g, m, v and writing p, m, v and the bf16 copy (30), the EMA reading both and writing the teacher
    /// and its bf16 copy (14).</summary>
    public const int OptimizerBytesPerParameter = 4 + 4 + 8 + 30 + 14;

    /// <summary>fp32 student, gradients, first and second moments and teacher, and bf16 copies of student and teacher.</summary>
    public const int StateBytesPerParameter = 5 * 4 + 2 * 2;

    /// <summary>The predicted step of <paramref name="model"/> with <paramref name="batch"/> images of 2 global and <paramref name="localCrops"/> local crops.</summary>
    public static GpuStepPrediction Predict(ModelDescription model, ImmutableArray<GpuSegmentPlan> plans, GpuSpec gpu, int batch, int localCrops,
        GpuEfficiency? efficiency = null)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "A step needs at least one image.");
        if (localCrops < 0) throw new ArgumentOutOfRangeException(nameof(localCrops), localCrops, "The local crops cannot be negative.");
        var e = efficiency ?? GpuEfficiency.Default;
        var a = model.Architecture;
        var global = plans.Single(p => p.Crop == a.GlobalCrop);
        var local = plans.Single(p => p.Crop == a.LocalCrop);
        var head = plans.Single(p => p.Crop == 0);
        long globalUnits = 2L * batch, localUnits = (long)localCrops * batch, headUnits = globalUnits + localUnits;

        var kernels = new List<GpuKernelEstimate>();
        double modelFlops = 0;
        void Segment(string stage, GpuSegmentPlan plan, long units, bool forwardOnly)
        {
            if (units == 0) return;
            foreach (var group in plan.Nodes.Where(n => !forwardOnly || n.Forward).GroupBy(n => (n.Forward, n.Op)))
            {
                double seconds = 0, tensor = 0, other = 0, bytes = 0;
                var bounds = new Dictionary<string, double>();
                foreach (var n in group)
                {
                    var (t, bound) = Roofline(gpu, e, n.Op, n.TensorFlopsPerUnit * (double)units, n.OtherFlopsPerUnit * (double)units, n.BytesPerUnit * (double)units + n.FixedBytes);
                    t += (n.Launches - 1) * e.LaunchSeconds;
                    seconds += t;
                    tensor += n.TensorFlopsPerUnit * (double)units;
                    other += n.OtherFlopsPerUnit * (double)units;
                    bytes += n.BytesPerUnit * (double)units + n.FixedBytes;
                    bounds[bound] = bounds.GetValueOrDefault(bound) + t;
                }
                kernels.Add(new GpuKernelEstimate(stage + (group.Key.Forward ? " forward" : " backward"), group.Key.Op, group.Sum(n => n.Launches), tensor, other, bytes, seconds,
                    bounds.OrderByDescending(b => b.Value).First().Key));
                modelFlops += tensor;
            }
        }

        Segment("teacher " + a.GlobalCrop, global, globalUnits, forwardOnly: true);
        Segment("teacher head", head, globalUnits, forwardOnly: true);
        Segment("student " + a.GlobalCrop, global, globalUnits, forwardOnly: false);
        Segment("student " + a.LocalCrop, local, localUnits, forwardOnly: false);
        Segment("student head", head, headUnits, forwardOnly: false);
        // Attention's backward recomputes the scores: that is not model work (MFU counts the forward's 4 T² d once, 8 T² d in the backward).
        modelFlops -= kernels.Where(k => k.Op == "AttentionGrad").Sum(k => k.TensorFlops) * 2 / 10;

        long outDim = a.Head.OutDim;
        // The DINO loss reads the student's and the teacher's logits (fp32) and writes the bf16 gradient; then the center.
        Add(kernels, gpu, e, "loss", "DinoLoss", 1, 0, 20.0 * outDim * (headUnits + globalUnits),
            4.0 * outDim * (headUnits + globalUnits) + 2.0 * outDim * headUnits);
        Add(kernels, gpu, e, "loss", "Center", 1, 0, 2.0 * outDim * globalUnits, 4.0 * outDim * globalUnits + 8.0 * outDim);
        long parameters = model.Parameters.FlatLength;
        Add(kernels, gpu, e, "optimizer", "ClipAdamWEma", 5, 0, 20.0 * parameters, (double)OptimizerBytesPerParameter * parameters);

        long arenas = global.TrainingBytes(globalUnits) + local.TrainingBytes(localUnits) + head.TrainingBytes(headUnits)
                      + global.ForwardBytes(globalUnits) + head.ForwardBytes(globalUnits);
        return new GpuStepPrediction(gpu, batch, localCrops, kernels.ToImmutableArray(), kernels.Sum(x => x.Seconds), modelFlops, arenas,
            (long)StateBytesPerParameter * parameters);
    }

    private static void Add(List<GpuKernelEstimate> kernels, GpuSpec gpu, GpuEfficiency e, string stage, string op, int launches, double tensor, double other, double bytes)
    {
        var (seconds, bound) = Roofline(gpu, e, op, tensor, other, bytes);
        kernels.Add(new GpuKernelEstimate(stage, op, launches, tensor, other, bytes, seconds + (launches - 1) * e.LaunchSeconds, bound));
    }

    /// <summary>One launch: the slowest of its three limits, plus the gap to the next launch.</summary>
    private static (double Seconds, string Bound) Roofline(GpuSpec gpu, GpuEfficiency e, string op, double tensorFlops, double otherFlops, double bytes)
    {
        double tensorFraction = op.StartsWith("Attention", StringComparison.Ordinal) ? e.Attention : e.Gemm;
        double tensor = tensorFlops / (gpu.TensorFlops * tensorFraction);
        double cuda = otherFlops / (gpu.CudaCoreFlops * e.CudaCores);
        double memory = bytes / (gpu.BytesPerSecond * e.Bandwidth);
        double worst = Math.Max(tensor, Math.Max(cuda, memory));
        string bound = worst == tensor && tensor > 0 ? "tensor" : worst == cuda && cuda > 0 ? "cuda-core" : "memory";
        return (worst + e.LaunchSeconds, bound);
    }
}
