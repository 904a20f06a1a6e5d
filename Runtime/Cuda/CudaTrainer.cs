using System;
using DinoCompiled.Compiled;
using DinoCompiled.Training;

namespace DinoCompiled.Cuda;

/// <summary>
/// The DINO recipe on the GPU, step for step what <see cref="Trainer{TModel}"/> does on the CPU: the compiled step,
/// per-tensor clipping, the last-layer freeze, AdamW with the same per-tensor step counts and schedules (the host
/// computes each tensor's step size, bias correction and decay with <see cref="AdamW.Advance"/> and the fused kernel
/// reads them), the teacher EMA and the center update, each one pass over the flat device buffers. Drop-path scales
/// come from the same <see cref="DropPathSampler"/> streams, so a GPU run makes the same random choices as a CPU run.
/// In <see cref="CudaPrecision.Bf16"/> the step runs the bf16 schedules; the master weights, moments, teacher and center
/// stay fp32, and the bf16 copies of the student and the teacher are written by AdamW and the EMA themselves (and made
/// whole by <see cref="WeightsChanged"/> whenever the host sets the weights).
/// <para>
/// With an NCCL communicator of N ranks the step is data parallel, as the CPU trainer's: this rank runs the compiled step
/// on its <see cref="Shard"/> (drop path drawn for the global batch and sliced), the flat gradient is summed over the
/// ranks in two buckets (<see cref="CudaDataParallel"/>: the head's overlapping the backbone's backward), and the center
/// and loss use every rank's sums; clipping, AdamW and the EMA then run on identical buffers on every rank.
/// </para>
/// </summary>
/// <typeparam name="TModel">A model compiled by the generator with its CUDA module.</typeparam>
public sealed class CudaTrainer<TModel> : IDisposable where TModel : ICudaDinoModel
{
    private readonly TrainingOptions _options;
    private readonly ArchitectureInfo _architecture;
    private readonly CudaDevice _device;
    private readonly CudaModule _module;
    private readonly CudaScheduleOps _ops;
    private readonly CudaStepKernels _kernels;
    private readonly CudaDinoStep<TModel> _step;
    private readonly DeviceBuffer _hyper, _globalDrop, _localDrop, _globalCrops, _localCrops;
    private readonly float[] _hostHyper, _hostGlobalDrop, _hostLocalDrop;
    private float[]? _hostTeacherLogits, _hostStudentLogits, _hostCenter;
    private readonly CudaDataParallel? _parallel;
    private readonly float[]? _hostGlobalBatchDrop, _hostLocalBatchDrop;
    private Distributed.GlobalBatchOutputs? _globalOutputs;

    /// <summary>A run on <paramref name="device"/> with the weights of <paramref name="initialStudent"/> (teacher = student), or the reference initialization from the seed when null.</summary>
    /// <param name="device">This rank's GPU.</param>
    /// <param name="precision">fp32, tf32 or bf16.</param>
    /// <param name="options">The recipe; its batch is the global batch, over all ranks.</param>
    /// <param name="iterationsPerEpoch">Steps per epoch.</param>
    /// <param name="initialStudent">The starting weights; empty: the reference initialization from the seed.</param>
    /// <param name="communicator">The GPU ranks of a data-parallel run; null: this GPU alone.</param>
    /// <exception cref="ArgumentException">The batch does not split into equal shards over the ranks.</exception>
    public CudaTrainer(CudaDevice device, CudaPrecision precision, TrainingOptions options, int iterationsPerEpoch, ReadOnlySpan<float> initialStudent = default,
        Distributed.NcclCommunicator? communicator = null)
    {
        Shard = communicator is null ? new Data.BatchShard(0, options.BatchSize) : Data.BatchShard.Of(options.BatchSize, communicator.Rank, communicator.Size);
        _device = device;
        _options = options;
        var description = TModel.Description;
        _architecture = description.Architecture;
        Parameters = description.Parameters;
        Schedules = new DinoSchedules(options, iterationsPerEpoch);
        Optimizer = new AdamW(Parameters);

        _module = device.LoadModule(TModel.CudaModule);
        try
        {
            _ops = new CudaScheduleOps(device, _module, precision);
            _kernels = new CudaStepKernels(device, _ops);
            _step = new CudaDinoStep<TModel>(device, _ops, Shard.Images, options.LocalCrops, gradientBatch: options.BatchSize);
            if (communicator is not null)
            {
                _parallel = new CudaDataParallel(device, _ops, communicator, Parameters, _architecture.Head.OutDim);
                _step.HeadGradientsDone = _parallel.HeadGradientsDone;
                _hostGlobalBatchDrop = new float[2L * _architecture.Depth * 2 * options.BatchSize];
                _hostLocalBatchDrop = new float[Math.Max(1, 2L * _architecture.Depth * options.LocalCrops * options.BatchSize)];
            }

            long length = Parameters.FlatLength;
            Student = device.Allocate(length);
            Teacher = device.Allocate(length);
            Gradients = device.Allocate(length);
            FirstMoment = device.Allocate(length);
            SecondMoment = device.Allocate(length);
            Center = device.Allocate(_architecture.Head.OutDim);
            if (_step.Bf16)
            {
                // bf16 values in the flat layout: half the floats (the flat length is a multiple of 4, the generator's alignment).
                StudentBf16 = device.Allocate((length + 1) / 2);
                TeacherBf16 = device.Allocate((length + 1) / 2);
            }
            _hostHyper = new float[AdamW.HyperStride * Parameters.Count];
            _hyper = device.Allocate(_hostHyper.Length);
            _hostGlobalDrop = new float[2L * _architecture.Depth * _step.GlobalRows];
            _hostLocalDrop = new float[Math.Max(1, 2L * _architecture.Depth * _step.LocalRows)];
            _globalDrop = device.Allocate(_hostGlobalDrop.Length);
            _localDrop = device.Allocate(_hostLocalDrop.Length);
            int c = _architecture.Channels;
            _globalCrops = device.Allocate((long)_step.GlobalRows * c * _architecture.GlobalCrop * _architecture.GlobalCrop);
            _localCrops = device.Allocate(Math.Max(1, (long)_step.LocalRows * c * _architecture.LocalCrop * _architecture.LocalCrop));

            var weights = new float[length];
            if (initialStudent.IsEmpty) InitializeFromSeed(weights, options.Seed);
            else initialStudent.CopyTo(weights);
            Student.Upload(weights);
            Teacher.Upload(weights);
            foreach (var buffer in new[] { FirstMoment, SecondMoment, Center, Gradients }) buffer.Clear();
            WeightsChanged();
        }
        catch
        {
            // A step that cannot be built (a model without bf16 schedules, a full device) leaves nothing behind.
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// After the host writes <see cref="Student"/> or <see cref="Teacher"/> (initialization, a checkpoint, pretrained
    /// weights): rewrites their bf16 copies in a bf16 run, then waits. AdamW and the EMA keep the copies current afterwards.
    /// </summary>
    public void WeightsChanged()
    {
        if (StudentBf16 is not null && TeacherBf16 is not null)
        {
            _kernels.ConvertToBf16(Student.Ptr, StudentBf16.Ptr);
            _kernels.ConvertToBf16(Teacher.Ptr, TeacherBf16.Ptr);
        }
        _device.Synchronize();
    }

    /// <summary>The images of every global batch this rank computes (all of them without a communicator).</summary>
    public Data.BatchShard Shard { get; }

    /// <summary>The model's parameter table.</summary>
    public ParameterTable Parameters { get; }

    /// <summary>The run's schedules.</summary>
    public DinoSchedules Schedules { get; }

    /// <summary>The optimizer's per-tensor step counts (the update itself runs on the GPU).</summary>
    public AdamW Optimizer { get; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; set; }

    /// <summary>The epoch of the next step.</summary>
    public int Epoch => (int)(Step / Schedules.IterationsPerEpoch);

    /// <summary>Student weights.</summary>
    public DeviceBuffer Student { get; }

    /// <summary>Teacher weights.</summary>
    public DeviceBuffer Teacher { get; }

    /// <summary>The bf16 copy of the student that the bf16 schedules read (null unless the precision is bf16).</summary>
    public DeviceBuffer? StudentBf16 { get; }

    /// <summary>The bf16 copy of the teacher (null unless the precision is bf16).</summary>
    public DeviceBuffer? TeacherBf16 { get; }

    /// <summary>The last step's clipped gradients.</summary>
    public DeviceBuffer Gradients { get; }

    /// <summary>AdamW's first moments.</summary>
    public DeviceBuffer FirstMoment { get; }

    /// <summary>AdamW's second moments.</summary>
    public DeviceBuffer SecondMoment { get; }

    /// <summary>The running center.</summary>
    public DeviceBuffer Center { get; }

    /// <summary>The compiled step (its device outputs).</summary>
    public CudaDinoStep<TModel> CompiledStep => _step;

    /// <summary>The precision mode: fp32 or tf32 GEMMs on the fp32 schedules, or the bf16 schedules.</summary>
    public CudaPrecision Precision => _ops.Precision;

    /// <summary>One DINO iteration on host crops (crop-major, as the loader makes them).</summary>
    public StepReport TrainStep(ReadOnlySpan<float> globalCrops, ReadOnlySpan<float> localCrops)
    {
        _globalCrops.Upload(globalCrops);
        if (_step.LocalRows > 0) _localCrops.Upload(localCrops);
        return TrainStepOnDevice();
    }

    /// <summary>One DINO iteration on crops in host memory (the loader's native batch buffers).</summary>
    public StepReport TrainStep(Ptr globalCrops, Ptr localCrops, Evaluation.CollapseMonitor? monitor)
    {
        _globalCrops.Upload(globalCrops, _globalCrops.Length);
        if (_step.LocalRows > 0) _localCrops.Upload(localCrops, _localCrops.Length);
        return TrainStepOnDevice(monitor);
    }

    /// <summary>One DINO iteration on the crops already on the device (<see cref="UploadCrops"/>).</summary>
    public unsafe StepReport TrainStepOnDevice(Evaluation.CollapseMonitor? monitor = null)
    {
        int epoch = Epoch;
        double learningRate = Schedules.LearningRate[Step], weightDecay = Schedules.WeightDecay[Step], momentum = Schedules.TeacherMomentum[Step];
        double teacherTemperature = Schedules.TeacherTemperature(epoch);

        DrawDropPath();
        _parallel?.BeginStep(Gradients);
        _step.Queue(Student.Ptr, Teacher.Ptr, Gradients, new Training.StepInputs
        {
            GlobalCrops = _globalCrops.Ptr, LocalCrops = _localCrops.Ptr, GlobalDropScales = _globalDrop.Ptr, LocalDropScales = _localDrop.Ptr,
            Center = Center.Ptr, StudentTemperature = (float)_options.StudentTemperature, TeacherTemperature = (float)teacherTemperature,
        }, StudentBf16?.Ptr ?? default, TeacherBf16?.Ptr ?? default);
        if (_parallel is not null)
        {
            _parallel.FinishGradients();
            _parallel.QueueCenterSums(_step.TeacherLogits.Ptr, _step.GlobalRows);
        }
        double loss = _step.ReadLoss();
        // Every rank gets the same global loss, so a divergence stops every rank at the same step.
        if (_parallel is not null) loss = _parallel.ReduceLoss(loss);
        if (!double.IsFinite(loss)) throw new TrainingDivergedException(Step, epoch, loss);
        if (monitor is not null) AddToMonitor(monitor, (float)teacherTemperature);

        if (_options.ClipGrad > 0) _kernels.ClipPerTensor(Gradients.Ptr, (float)_options.ClipGrad);
        Optimizer.Advance((float)learningRate, (float)weightDecay, epoch < _options.FreezeLastLayerEpochs, _hostHyper);
        _hyper.Upload(_hostHyper);
        if (StudentBf16 is not null && TeacherBf16 is not null)
        {
            _kernels.AdamWBf16(Student.Ptr, StudentBf16.Ptr, Gradients.Ptr, FirstMoment.Ptr, SecondMoment.Ptr, _hyper.Ptr, Optimizer.Beta1, Optimizer.Beta2, Optimizer.Epsilon);
            _kernels.TeacherEmaBf16(Teacher.Ptr, TeacherBf16.Ptr, Student.Ptr, (float)momentum);
        }
        else
        {
            _kernels.AdamW(Student.Ptr, Gradients.Ptr, FirstMoment.Ptr, SecondMoment.Ptr, _hyper.Ptr, Optimizer.Beta1, Optimizer.Beta2, Optimizer.Epsilon);
            _kernels.TeacherEma(Teacher.Ptr, Student.Ptr, (float)momentum);
        }
        if (_parallel is not null) _parallel.UpdateCenter(Center.Ptr, 2L * _options.BatchSize, (float)_options.CenterMomentum);
        else _kernels.UpdateCenter(_step.TeacherLogits.Ptr, Center.Ptr, _step.GlobalRows, (float)_options.CenterMomentum);
        _device.Synchronize();
        return new StepReport(Step++, epoch, loss, learningRate, weightDecay, momentum, teacherTemperature);
    }

    /// <summary>
    /// This step's drop-path scales on the device: drawn for this GPU's rows, or, on several ranks, for the global batch
    /// (one draw per global image, whatever the number of ranks) with this rank's shard sliced out.
    /// </summary>
    private unsafe void DrawDropPath()
    {
        fixed (float* shard = _hostGlobalDrop, all = _hostGlobalBatchDrop)
        {
            if (_parallel is null) DropPathSampler.Fill(shard, _architecture, _step.GlobalRows, _options.Seed, Step, group: 0);
            else Distributed.ShardDropPath.Fill(all, shard, _architecture, 2, _options.BatchSize, Shard, _options.Seed, Step, group: 0);
        }
        _globalDrop.Upload(_hostGlobalDrop);
        if (_step.LocalRows == 0) return;
        fixed (float* shard = _hostLocalDrop, all = _hostLocalBatchDrop)
        {
            if (_parallel is null) DropPathSampler.Fill(shard, _architecture, _step.LocalRows, _options.Seed, Step, group: 1);
            else Distributed.ShardDropPath.Fill(all, shard, _architecture, _options.LocalCrops, _options.BatchSize, Shard, _options.Seed, Step, group: 1);
        }
        _localDrop.Upload(_hostLocalDrop);
    }

    /// <summary>
    /// The step's outputs and the center it used (read before the center moves) into the collapse monitor; on several
    /// ranks the global batch's outputs, gathered on the host in one process's order.
    /// </summary>
    private unsafe void AddToMonitor(Evaluation.CollapseMonitor monitor, float teacherTemperature)
    {
        _hostTeacherLogits ??= new float[_step.TeacherLogits.Length];
        _hostStudentLogits ??= new float[_step.StudentLogits.Length];
        _hostCenter ??= new float[Center.Length];
        _step.TeacherLogits.Download(_hostTeacherLogits);
        _step.StudentLogits.Download(_hostStudentLogits);
        Center.Download(_hostCenter);
        int crops = 2 + _options.LocalCrops;
        if (_parallel is null)
        {
            monitor.Add(_hostTeacherLogits, _hostCenter, teacherTemperature, _options.BatchSize, _hostStudentLogits, crops, (float)_options.StudentTemperature);
            return;
        }
        _globalOutputs ??= new Distributed.GlobalBatchOutputs(_parallel.Communicator.Bootstrap, Shard.Images, crops, _architecture.Head.OutDim);
        fixed (float* teacher = _hostTeacherLogits, student = _hostStudentLogits) _globalOutputs.Gather(teacher, student);
        monitor.Add(_globalOutputs.Teacher, _hostCenter, teacherTemperature, _options.BatchSize, _globalOutputs.Student, crops, (float)_options.StudentTemperature);
    }

    /// <summary>Puts a batch of crops on the device for <see cref="TrainStepOnDevice"/> (a benchmark reuses one batch).</summary>
    public void UploadCrops(ReadOnlySpan<float> globalCrops, ReadOnlySpan<float> localCrops)
    {
        _globalCrops.Upload(globalCrops);
        if (_step.LocalRows > 0) _localCrops.Upload(localCrops);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Also called by a constructor that failed half way: what was not made yet is null.
        foreach (var buffer in new[] { Student, Teacher, Gradients, FirstMoment, SecondMoment, Center, _hyper, _globalDrop, _localDrop, _globalCrops, _localCrops })
            buffer?.Dispose();
        StudentBf16?.Dispose();
        TeacherBf16?.Dispose();
        _parallel?.Dispose();
        _globalOutputs?.Dispose();
        _step?.Dispose();
        _kernels?.Dispose();
        _ops?.Dispose();
        _module.Dispose();
    }

    private unsafe void InitializeFromSeed(float[] weights, int seed)
    {
        fixed (float* w = weights) ParameterInitializer.Initialize(w, Parameters, seed);
    }
}
