using System;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Distributed;

namespace DinoCompiled.Training;

/// <summary>
/// The DINO recipe on a compiled model: student and teacher weights, AdamW moments and the center in flat native
/// buffers; each <see cref="TrainStep"/> runs the compiled step, then per-tensor clipping, the last-layer freeze,
/// AdamW with the scheduled learning rate and weight decay, the teacher EMA and the center update, all as single
/// passes over the flat buffers. Every random draw is a function of (seed, step) or (seed, epoch, index), so a run is
/// reproducible and resumable to the bit.
/// </summary>
/// <remarks>
/// With a communicator of N ranks the step is data parallel: each rank runs the compiled step on its
/// <see cref="Shard"/> of the global batch (its loader makes only those images, from the global indices' random streams;
/// drop path is drawn for the global batch and sliced), the flat gradient is summed over the ranks in two buckets (the
/// head's, started on a thread of its own as soon as the head's backward is done, then the backbone's) and divided by N,
/// which makes it the gradient of the mean loss over the global batch; loss and center use all ranks' sums. Clipping,
/// AdamW and the EMA then run on identical buffers on every rank, so every rank holds the same weights.
/// </remarks>
/// <typeparam name="TModel">A model class compiled by the generator.</typeparam>
public sealed unsafe class Trainer<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private readonly TrainingOptions _options;
    private readonly ArchitectureInfo _architecture;
    private DinoStep<TModel>? _step;
    private readonly NativeBuffer _globalDrop, _localDrop;
    private readonly double[] _norms;
    private readonly NativeBuffer? _shardGlobalDrop, _shardLocalDrop, _reduced;
    private GlobalBatchOutputs? _globalOutputs;
    private readonly GradientBucketReducer? _buckets;
    private readonly Action? _startHeadBucket;
    private readonly long _headOffset;
    private long _communicationTicks;

    /// <summary>A run of <paramref name="iterationsPerEpoch"/> steps per epoch, initialised from <see cref="TrainingOptions.Seed"/>.</summary>
    /// <param name="options">The recipe; its batch is the global batch, over all ranks.</param>
    /// <param name="iterationsPerEpoch">Steps per epoch.</param>
    /// <param name="communicator">The ranks this trainer is one of; null: a single process.</param>
    /// <exception cref="ArgumentException">The batch does not split into equal shards over the ranks.</exception>
    public Trainer(TrainingOptions options, int iterationsPerEpoch, ICommunicator? communicator = null)
    {
        Communicator = communicator ?? SingleProcess.Instance;
        Shard = BatchShard.Of(options.BatchSize, Communicator.Rank, Communicator.Size);
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

        if (Communicator.Size > 1)
        {
            _shardGlobalDrop = new NativeBuffer(2L * _architecture.Depth * 2 * Shard.Images);
            _shardLocalDrop = new NativeBuffer(2L * _architecture.Depth * Math.Max(1, options.LocalCrops * Shard.Images));
            // The center's column sums and the loss, all-reduced together.
            _reduced = new NativeBuffer(2L * (_architecture.Head.OutDim + 1));
            _headOffset = FirstHeadOffset(Parameters);
            _buckets = new GradientBucketReducer(Communicator);
            _startHeadBucket = () => _buckets.Start(Gradients.Data + _headOffset, Parameters.FlatLength - _headOffset);
        }

        // The teacher starts as a copy of the student (every rank draws the same initialization from the seed).
        ParameterInitializer.Initialize(Student.Data, Parameters, options.Seed);
        Student.Span.CopyTo(Teacher.Span);
    }

    /// <summary>The ranks of the run (a single process unless one was given).</summary>
    public ICommunicator Communicator { get; }

    /// <summary>
    /// Time this rank spent in the step's collectives after its own backward was done (waiting for the head's bucket, the
    /// backbone's all-reduce, the center and loss): communication plus waiting for slower ranks; zero on one rank.
    /// </summary>
    public TimeSpan CommunicationTime => TimeSpan.FromTicks((long)(_communicationTicks * (TimeSpan.TicksPerSecond / (double)System.Diagnostics.Stopwatch.Frequency)));

    /// <summary>The images of every global batch this rank computes (all of them on one rank).</summary>
    public BatchShard Shard { get; }

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
    public DinoStep<TModel> CompiledStep => _step ??= new DinoStep<TModel>(Shard.Images, _options.LocalCrops);

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
        if (Communicator.Size > 1) return TrainShardStep(globalCrops, localCrops);
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

    /// <summary>The data-parallel step: this rank's shard, the gradient and the center's sums over all ranks, then the same update everywhere.</summary>
    private StepReport TrainShardStep(Ptr globalCrops, Ptr localCrops)
    {
        var compiled = CompiledStep;
        int epoch = Epoch, ranks = Communicator.Size, batch = _options.BatchSize, k = _architecture.Head.OutDim;
        double learningRate = Schedules.LearningRate[Step], weightDecay = Schedules.WeightDecay[Step], momentum = Schedules.TeacherMomentum[Step];
        double teacherTemperature = Schedules.TeacherTemperature(epoch);

        ShardDropPath.Fill(_globalDrop.Data, _shardGlobalDrop!.Data, _architecture, 2, batch, Shard, _options.Seed, Step, group: 0);
        if (compiled.LocalRows > 0)
            ShardDropPath.Fill(_localDrop.Data, _shardLocalDrop!.Data, _architecture, _options.LocalCrops, batch, Shard, _options.Seed, Step, group: 1);
        double shardLoss = compiled.Run(Student.Ptr, Teacher.Ptr, Gradients.Ptr, Parameters.FlatLength, new StepInputs
        {
            GlobalCrops = globalCrops, LocalCrops = localCrops, GlobalDropScales = _shardGlobalDrop.Ptr, LocalDropScales = _shardLocalDrop!.Ptr,
            Center = Center.Ptr, StudentTemperature = (float)_options.StudentTemperature, TeacherTemperature = (float)teacherTemperature,
        }, _startHeadBucket);
        // The head's bucket has been in flight during the backbone's backward; the backbone's goes once it is done.
        long waitStart = System.Diagnostics.Stopwatch.GetTimestamp();
        _buckets!.Wait();
        Communicator.AllReduceSum(Gradients.Data, _headOffset);
        _communicationTicks += System.Diagnostics.Stopwatch.GetTimestamp() - waitStart;
        // Each shard's gradient is of its own mean loss; their sum over N is the gradient of the global mean.
        for (long start = 0; start < Parameters.FlatLength; start += 1 << 30)
            RowMath.Scale(Gradients.Data + start, 1f / ranks, Gradients.Data + start, (int)Math.Min(1 << 30, Parameters.FlatLength - start));

        var sums = (double*)_reduced!.Data;
        DistributedCenter.ColumnSums((float*)compiled.TeacherLogitsPtr, compiled.GlobalRows, k, sums);
        sums[k] = shardLoss;
        waitStart = System.Diagnostics.Stopwatch.GetTimestamp();
        Communicator.AllReduceSum(sums, k + 1);
        _communicationTicks += System.Diagnostics.Stopwatch.GetTimestamp() - waitStart;
        double loss = sums[k] / ranks;
        if (!double.IsFinite(loss)) throw new TrainingDivergedException(Step, epoch, loss);

        if (_options.ClipGrad > 0) GradientClipping.ClipPerTensor(Gradients.Data, Parameters, (float)_options.ClipGrad, _norms);
        Optimizer.Step(Student.Data, Gradients.Data, FirstMoment.Data, SecondMoment.Data, (float)learningRate, (float)weightDecay,
            freezeLastLayer: epoch < _options.FreezeLastLayerEpochs);
        TeacherEma.Update(Teacher.Data, Student.Data, Parameters.FlatLength, (float)momentum);
        if (Monitor is not null && Step % MonitorEvery == 0) MonitorGlobalBatch(compiled, (float)teacherTemperature);
        DistributedCenter.Update(sums, Center.Data, 2L * batch, k, (float)_options.CenterMomentum);
        return new StepReport(Step++, epoch, loss, learningRate, weightDecay, momentum, teacherTemperature);
    }

    /// <summary>The collapse monitor on the global batch's outputs, gathered from all ranks into one process's order.</summary>
    private void MonitorGlobalBatch(DinoStep<TModel> compiled, float teacherTemperature)
    {
        _globalOutputs ??= new GlobalBatchOutputs(Communicator, Shard.Images, 2 + _options.LocalCrops, _architecture.Head.OutDim);
        fixed (float* teacher = compiled.TeacherLogits, student = compiled.StudentLogits) _globalOutputs.Gather(teacher, student);
        Monitor!.Add(_globalOutputs.Teacher, Center.Span, teacherTemperature, _options.BatchSize, _globalOutputs.Student, 2 + _options.LocalCrops, (float)_options.StudentTemperature);
    }

    private static long FirstHeadOffset(ParameterTable parameters)
    {
        foreach (var parameter in parameters)
            if (parameter.Part == ModelPart.Head) return parameter.Offset;
        return parameters.FlatLength;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _buckets?.Dispose();
        _globalOutputs?.Dispose();
        foreach (var buffer in new[] { _shardGlobalDrop, _shardLocalDrop, _reduced }) buffer?.Dispose();
        foreach (var buffer in new[] { Student, Teacher, Gradients, FirstMoment, SecondMoment, Center, _globalDrop, _localDrop }) buffer.Dispose();
        _step?.Dispose();
        Accelerator?.Dispose();
    }
}
