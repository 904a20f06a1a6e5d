using System;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;

namespace DinoCompiled.Training;

/// <summary>
/// The DINO recipe on a compiled model: student and teacher weights, AdamW moments and the center in flat native
/// buffers; each <see cref="TrainStep"/> runs the compiled step, then per-tensor clipping, the last-layer freeze,
/// AdamW with the scheduled learning rate and weight decay, the teacher EMA and the center update, all as single
/// passes over the flat buffers. Every random draw is a function of (seed, step) or (seed, epoch, index), so a run is
/// reproducible and resumable to the bit.
/// </summary>
/// <typeparam name="TModel">A model class compiled by the generator.</typeparam>
public sealed unsafe class Trainer<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private readonly TrainingOptions _options;
    private readonly ArchitectureInfo _architecture;
    private DinoStep<TModel>? _step;
    private readonly NativeBuffer _globalDrop, _localDrop;
    private readonly double[] _norms;

    /// <summary>A run of <paramref name="iterationsPerEpoch"/> steps per epoch, initialised from <see cref="TrainingOptions.Seed"/>.</summary>
    public Trainer(TrainingOptions options, int iterationsPerEpoch)
    {
        _options = options;
        var description = TModel.Description;
        _architecture = description.Architecture;
        Parameters = description.Parameters;
        Schedules = new DinoSchedules(options, iterationsPerEpoch);
        long length = Parameters.FlatLength;
        Student = new NativeBuffer(length);
        Teacher = new NativeBuffer(length);
        Gradients = new NativeBuffer(length);
        FirstMoment = new NativeBuffer(length);
        SecondMoment = new NativeBuffer(length);
        Center = new NativeBuffer(_architecture.Head.OutDim);
        Optimizer = new AdamW(Parameters);
        _norms = new double[Parameters.Count];
        _globalDrop = new NativeBuffer(2L * _architecture.Depth * 2 * options.BatchSize);
        _localDrop = new NativeBuffer(2L * _architecture.Depth * Math.Max(1, options.LocalCrops * options.BatchSize));

        // The teacher starts as a copy of the student.
        ParameterInitializer.Initialize(Student.Data, Parameters, options.Seed);
        Student.Span.CopyTo(Teacher.Span);
    }

    /// <summary>The model's parameter table.</summary>
    public ParameterTable Parameters { get; }

    /// <summary>The run's schedules.</summary>
    public DinoSchedules Schedules { get; }

    /// <summary>Steps taken so far (the next step's index).</summary>
    public long Step { get; set; }

    /// <summary>The epoch of the next step.</summary>
    public int Epoch => (int)(Step / Schedules.IterationsPerEpoch);

    /// <summary>Student weights (flat).</summary>
    public NativeBuffer Student { get; }

    /// <summary>Teacher weights (flat).</summary>
    public NativeBuffer Teacher { get; }

    /// <summary>The last step's clipped gradients (flat).</summary>
    public NativeBuffer Gradients { get; }

    /// <summary>AdamW's first moments (flat).</summary>
    public NativeBuffer FirstMoment { get; }

    /// <summary>AdamW's second moments (flat).</summary>
    public NativeBuffer SecondMoment { get; }

    /// <summary>The running center of the teacher's outputs [K].</summary>
    public NativeBuffer Center { get; }

    /// <summary>The optimizer (its per-tensor step counts belong in a checkpoint).</summary>
    public AdamW Optimizer { get; }

    /// <summary>When set, every <see cref="MonitorEvery"/>-th step adds its teacher and student outputs to it.</summary>
    public Evaluation.CollapseMonitor? Monitor { get; set; }

    /// <summary>How often the collapse monitor samples a step (it costs a few softmaxes over the outputs).</summary>
    public int MonitorEvery { get; set; } = 10;

    /// <summary>The compiled CPU step (its last outputs feed the collapse monitor); its arenas are allocated on first use.</summary>
    public DinoStep<TModel> CompiledStep => _step ??= new DinoStep<TModel>(_options.BatchSize, _options.LocalCrops);

    /// <summary>
    /// When set, steps run there (the GPU) instead of on the compiled CPU step, and the host buffers hold the state only
    /// after <see cref="PullFromAccelerator"/>. The trainer owns and disposes it.
    /// </summary>
    public ITrainingAccelerator? Accelerator { get; set; }

    /// <summary>Brings the accelerator's state into the host buffers (before an evaluation or a checkpoint).</summary>
    public void PullFromAccelerator() =>
        Accelerator?.Download(Student, Teacher, FirstMoment, SecondMoment, Center, Optimizer.Steps);

    /// <summary>Sends the host buffers' state to the accelerator (after a resume).</summary>
    public void PushToAccelerator() =>
        Accelerator?.Upload(Student, Teacher, FirstMoment, SecondMoment, Center, Optimizer.Steps);

    /// <summary>One DINO iteration on a batch of crops; throws <see cref="TrainingDivergedException"/> before updating anything when the loss is not finite.</summary>
    public StepReport TrainStep(Ptr globalCrops, Ptr localCrops)
    {
        if (Accelerator is { } accelerator)
        {
            var accelerated = accelerator.TrainStep(Step, globalCrops, localCrops, Monitor is not null && Step % MonitorEvery == 0 ? Monitor : null);
            Step++;
            return accelerated;
        }
        var compiled = CompiledStep;
        int epoch = Epoch;
        double learningRate = Schedules.LearningRate[Step], weightDecay = Schedules.WeightDecay[Step], momentum = Schedules.TeacherMomentum[Step];
        double teacherTemperature = Schedules.TeacherTemperature(epoch);

        DropPathSampler.Fill(_globalDrop.Data, _architecture, compiled.GlobalRows, _options.Seed, Step, group: 0);
        if (compiled.LocalRows > 0) DropPathSampler.Fill(_localDrop.Data, _architecture, compiled.LocalRows, _options.Seed, Step, group: 1);
        double loss = compiled.Run(Student.Ptr, Teacher.Ptr, Gradients.Ptr, Parameters.FlatLength, new StepInputs
        {
            GlobalCrops = globalCrops, LocalCrops = localCrops, GlobalDropScales = _globalDrop.Ptr, LocalDropScales = _localDrop.Ptr,
            Center = Center.Ptr, StudentTemperature = (float)_options.StudentTemperature, TeacherTemperature = (float)teacherTemperature,
        });
        if (!double.IsFinite(loss)) throw new TrainingDivergedException(Step, epoch, loss);

        if (_options.ClipGrad > 0) GradientClipping.ClipPerTensor(Gradients.Data, Parameters, (float)_options.ClipGrad, _norms);
        Optimizer.Step(Student.Data, Gradients.Data, FirstMoment.Data, SecondMoment.Data, (float)learningRate, (float)weightDecay,
            freezeLastLayer: epoch < _options.FreezeLastLayerEpochs);
        TeacherEma.Update(Teacher.Data, Student.Data, Parameters.FlatLength, (float)momentum);
        // The collapse monitor must see the center this step used, so it runs before the center moves.
        if (Monitor is not null && Step % MonitorEvery == 0)
            Monitor.Add(compiled.TeacherLogits, Center.Span, (float)teacherTemperature, _options.BatchSize, compiled.StudentLogits, 2 + _options.LocalCrops, (float)_options.StudentTemperature);
        DinoLoss.UpdateCenter(compiled.TeacherLogitsPtr, Center.Data, compiled.GlobalRows, _architecture.Head.OutDim, (float)_options.CenterMomentum);
        return new StepReport(Step++, epoch, loss, learningRate, weightDecay, momentum, teacherTemperature);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var buffer in new[] { Student, Teacher, Gradients, FirstMoment, SecondMoment, Center, _globalDrop, _localDrop }) buffer.Dispose();
        _step?.Dispose();
        Accelerator?.Dispose();
    }
}
