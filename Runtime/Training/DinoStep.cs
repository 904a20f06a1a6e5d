using System;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;

namespace DinoCompiled.Training;

/// <summary>
/// One DINO forward/backward on a compiled model, on the CPU: the teacher on the global crops; the student on the
/// global crops and the local crops (each size group as one batch through its compiled backbone), the head once on all
/// rows; the DINO loss; then the backward of the head and of each backbone group into the flat gradient buffer.
/// All buffers are allocated once here, sized by the generated memory plans; <see cref="Run"/> allocates nothing.
/// </summary>
/// <typeparam name="TModel">A model class compiled by the generator.</typeparam>
public sealed unsafe class DinoStep<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private readonly ArchitectureInfo _architecture;
    private readonly NativeBuffer _globalArena, _localArena, _headArena;
    private readonly NativeBuffer _features, _featureGradients, _logits, _logitGradients;
    private readonly NativeBuffer _teacherFeatures, _teacherLogits, _lossScratch;

    /// <summary>Plans the buffers for <paramref name="batch"/> images with 2 global and <paramref name="localCrops"/> local crops each.</summary>
    public DinoStep(int batch, int localCrops)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch needs at least one image.");
        if (localCrops < 0) throw new ArgumentOutOfRangeException(nameof(localCrops), localCrops, "The number of local crops cannot be negative.");
        var description = TModel.Description;
        _architecture = description.Architecture;
        Batch = batch;
        LocalCrops = localCrops;
        int d = _architecture.EmbedDim, k = _architecture.Head.OutDim;

        ArenaPlan Plan(int crop) => description.Arenas.First(a => a.Crop == crop);
        _globalArena = new NativeBuffer(Plan(_architecture.GlobalCrop).FixedFloats + Plan(_architecture.GlobalCrop).FloatsPerUnit * GlobalRows);
        _localArena = new NativeBuffer(localCrops == 0 ? 0 : Plan(_architecture.LocalCrop).FixedFloats + Plan(_architecture.LocalCrop).FloatsPerUnit * LocalRows);
        _headArena = new NativeBuffer(Plan(0).FixedFloats + Plan(0).FloatsPerUnit * Rows);
        ArenaBytes = (_globalArena.Length + _localArena.Length + _headArena.Length) * sizeof(float);

        _features = new NativeBuffer((long)Rows * d);
        _featureGradients = new NativeBuffer((long)Rows * d);
        _logits = new NativeBuffer((long)Rows * k);
        _logitGradients = new NativeBuffer((long)Rows * k);
        _teacherFeatures = new NativeBuffer((long)GlobalRows * d);
        _teacherLogits = new NativeBuffer((long)GlobalRows * k);
        _lossScratch = new NativeBuffer(DinoLoss.ScratchLength(batch, 2 + localCrops, k));
    }

    /// <summary>Images per step.</summary>
    public int Batch { get; }

    /// <summary>Local crops per image.</summary>
    public int LocalCrops { get; }

    /// <summary>Rows of the global group (2 per image).</summary>
    public int GlobalRows => 2 * Batch;

    /// <summary>Rows of the local group.</summary>
    public int LocalRows => LocalCrops * Batch;

    /// <summary>All student rows: (2 + local crops) per image.</summary>
    public int Rows => GlobalRows + LocalRows;

    /// <summary>Bytes of the three planned arenas together.</summary>
    public long ArenaBytes { get; }

    /// <summary>The student's backbone CLS features of the last step, [rows, D], crop-major.</summary>
    public ReadOnlySpan<float> StudentFeatures => _features.Span;

    /// <summary>The student's head outputs of the last step, [rows, K].</summary>
    public ReadOnlySpan<float> StudentLogits => _logits.Span;

    /// <summary>The teacher's backbone CLS features of the last step, [2·batch, D].</summary>
    public ReadOnlySpan<float> TeacherFeatures => _teacherFeatures.Span;

    /// <summary>The teacher's head outputs of the last step, [2·batch, K].</summary>
    public ReadOnlySpan<float> TeacherLogits => _teacherLogits.Span;

    /// <summary>The teacher's raw outputs, for the center update.</summary>
    public Ptr TeacherLogitsPtr => _teacherLogits.Ptr;

    /// <summary>
    /// Runs the teacher and the student forward, the loss and the student backward. The gradient buffer is
    /// overwritten (zeroed, then accumulated into by every segment). Returns the loss.
    /// </summary>
    /// <param name="student">The student's flat weights.</param>
    /// <param name="teacher">The teacher's flat weights.</param>
    /// <param name="gradients">The flat gradient buffer (overwritten).</param>
    /// <param name="flatLength">Floats in each flat buffer.</param>
    /// <param name="inputs">The crops, drop-path scales, center and temperatures of the step.</param>
    /// <param name="headGradientsDone">
    /// Called once the head's backward has written the head's gradients, before the backbone's backward (which never
    /// touches them): a data-parallel trainer starts their all-reduce there, overlapping the rest of the backward.
    /// </param>
    public double Run(Ptr student, Ptr teacher, Ptr gradients, long flatLength, in StepInputs inputs, Action? headGradientsDone = null)
    {
        int global = _architecture.GlobalCrop, local = _architecture.LocalCrop, d = _architecture.EmbedDim, k = _architecture.Head.OutDim;

        // Teacher: global crops only, no drop path; its arenas are reused by the student right after.
        TModel.BackboneForward(global, new SegmentBuffers { Parameters = teacher, Arena = _globalArena.Ptr, Units = GlobalRows, Input = inputs.GlobalCrops, Output = _teacherFeatures.Ptr });
        TModel.HeadForward(new SegmentBuffers { Parameters = teacher, Arena = _headArena.Ptr, Units = GlobalRows, Input = _teacherFeatures.Ptr, Output = _teacherLogits.Ptr });

        var globalGroup = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients, Arena = _globalArena.Ptr, Units = GlobalRows, Input = inputs.GlobalCrops,
            Output = _features.Ptr, OutputGradient = _featureGradients.Ptr, DropScales = inputs.GlobalDropScales,
        };
        var localGroup = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients, Arena = _localArena.Ptr, Units = LocalRows, Input = inputs.LocalCrops,
            Output = _features.Ptr + (long)GlobalRows * d, OutputGradient = _featureGradients.Ptr + (long)GlobalRows * d, DropScales = inputs.LocalDropScales,
        };
        var head = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients, Arena = _headArena.Ptr, Units = Rows, Input = _features.Ptr, Output = _logits.Ptr,
            OutputGradient = _logitGradients.Ptr, InputGradient = _featureGradients.Ptr,
        };

        TModel.BackboneForward(global, globalGroup);
        if (LocalCrops > 0) TModel.BackboneForward(local, localGroup);
        TModel.HeadForward(head);
        double loss = DinoLoss.Forward(_logits.Data, _teacherLogits.Data, inputs.Center, _logitGradients.Data, _lossScratch.Data,
            Batch, 2 + LocalCrops, k, inputs.StudentTemperature, inputs.TeacherTemperature);

        new Span<float>((float*)gradients, checked((int)flatLength)).Clear();
        TModel.HeadBackward(head);
        headGradientsDone?.Invoke();
        if (LocalCrops > 0) TModel.BackboneBackward(local, localGroup);
        TModel.BackboneBackward(global, globalGroup);
        return loss;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in new[] { _globalArena, _localArena, _headArena, _features, _featureGradients, _logits, _logitGradients, _teacherFeatures, _teacherLogits, _lossScratch })
            buffer.Dispose();
    }
}
