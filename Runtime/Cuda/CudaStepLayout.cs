using System;
using System.Linq;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The floats of every buffer one compiled DINO step on the GPU reads or writes, from the generated arena plans: the one
/// place their sizes are worked out, so the device step and the emulated step of the tests allocate the same. With the
/// GPU plans (the bf16 schedules) each arena holds the larger of the student's training plan and the teacher's forward
/// plan, which run on it one after the other; without them, the fp32 schedules' CPU arena plans.
/// </summary>
internal sealed class CudaStepLayout
{
    /// <param name="description">The model.</param>
    /// <param name="batch">Images this step computes (a rank's shard in a data-parallel run).</param>
    /// <param name="localCrops">Local crops per image.</param>
    /// <param name="bf16Plans">The GPU plans, for the bf16 schedules; null: the fp32 schedules.</param>
    /// <param name="gradientBatch">The batch whose mean loss the gradient is of: the global batch in a data-parallel run
    /// (each rank's gradient is then its part of the global one, and the sum over the ranks is the whole); 0: <paramref name="batch"/>.</param>
    public CudaStepLayout(ModelDescription description, int batch, int localCrops, System.Collections.Generic.IReadOnlyList<GpuSegmentPlan>? bf16Plans = null,
        int gradientBatch = 0)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch needs at least one image.");
        if (gradientBatch != 0 && gradientBatch < batch)
            throw new ArgumentOutOfRangeException(nameof(gradientBatch), gradientBatch, "The gradient's batch holds the step's own.");
        GradientBatch = gradientBatch == 0 ? batch : gradientBatch;
        if (localCrops < 0) throw new ArgumentOutOfRangeException(nameof(localCrops), localCrops, "The number of local crops cannot be negative.");
        var a = description.Architecture;
        Batch = batch;
        LocalCrops = localCrops;
        EmbedDim = a.EmbedDim;
        int k = a.Head.OutDim;
        Bf16 = bf16Plans is not null;
        if (bf16Plans is null)
        {
            ArenaPlan Plan(int crop) => description.Arenas.First(p => p.Crop == crop);
            GlobalArena = Plan(a.GlobalCrop).FixedFloats + Plan(a.GlobalCrop).FloatsPerUnit * GlobalRows;
            LocalArena = localCrops == 0 ? 0 : Plan(a.LocalCrop).FixedFloats + Plan(a.LocalCrop).FloatsPerUnit * LocalRows;
            HeadArena = Plan(0).FixedFloats + Plan(0).FloatsPerUnit * Rows;
        }
        else
        {
            GpuSegmentPlan Plan(int crop) => bf16Plans.First(p => p.Crop == crop);
            static long Floats(long bytes) => (bytes + 3) / 4;
            GlobalArena = Floats(Math.Max(Plan(a.GlobalCrop).TrainingBytes(GlobalRows), Plan(a.GlobalCrop).ForwardBytes(GlobalRows)));
            LocalArena = localCrops == 0 ? 0 : Floats(Plan(a.LocalCrop).TrainingBytes(LocalRows));
            HeadArena = Floats(Math.Max(Plan(0).TrainingBytes(Rows), Plan(0).ForwardBytes(GlobalRows)));
        }
        Features = (long)Rows * a.EmbedDim;
        Logits = (long)Rows * k;
        TeacherFeatures = (long)GlobalRows * a.EmbedDim;
        TeacherLogits = (long)GlobalRows * k;
        RowLosses = 2L * Rows; // doubles
    }

    public int Batch { get; }

    /// <summary>The batch the loss gradient is normalized by (the global batch; <see cref="Batch"/> on one rank).</summary>
    public int GradientBatch { get; }

    /// <summary>Whether the step runs the bf16 schedules (GPU plans, bf16 logits' gradient, bf16 weight copies).</summary>
    public bool Bf16 { get; }
    public int LocalCrops { get; }
    public int EmbedDim { get; }
    public int GlobalRows => 2 * Batch;
    public int LocalRows => LocalCrops * Batch;
    public int Rows => GlobalRows + LocalRows;
    public int Crops => 2 + LocalCrops;

    public long GlobalArena { get; }
    public long LocalArena { get; }
    public long HeadArena { get; }

    /// <summary>The student's CLS features, and the same again for their gradient.</summary>
    public long Features { get; }

    /// <summary>The student's logits, and the same again for their gradient (bf16 in a bf16 step, so half of it is used).</summary>
    public long Logits { get; }

    public long TeacherFeatures { get; }

    /// <summary>The teacher's logits, and the same again for its probabilities.</summary>
    public long TeacherLogits { get; }

    /// <summary>One double per student row, as floats.</summary>
    public long RowLosses { get; }
}
