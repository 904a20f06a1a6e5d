using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// One DINO forward/backward of a compiled model on the GPU, the same sequence as the CPU's <c>DinoStep</c>: the teacher
/// on the global crops; the student on each crop group through the generated CUDA schedules, the head once on all rows;
/// the generated DINO-loss kernels; then the head's and each group's backward into the zeroed gradient buffer. Every
/// device buffer is sized once from the generated arena plans; a step allocates nothing. After a warm-up, the segment
/// schedules (hundreds of launches) can be replayed as one CUDA graph. With <see cref="CudaPrecision.Bf16"/> ops it runs
/// the bf16 schedules on the GPU plans' arenas (docs/BF16.md) and reads the bf16 weight copies the trainer keeps.
/// </summary>
/// <typeparam name="TModel">A model compiled by the generator with its CUDA module.</typeparam>
public sealed class CudaDinoStep<TModel> : IDisposable where TModel : ICudaDinoModel
{
    private readonly CudaDevice _device;
    private readonly CudaScheduleOps _ops;
    private readonly CudaLossKernels _loss;
    private readonly CudaStepLayout _layout;
    private readonly CudaStepBuffers _buffers;
    private readonly DeviceBuffer _globalArena, _localArena, _headArena;
    private readonly DeviceBuffer _features, _featureGradients, _logits, _logitGradients, _teacherFeatures, _teacherLogits;
    private readonly DeviceBuffer _teacherProbabilities, _rowLosses;
    private readonly double[] _hostRowLosses;
    private const int EagerStepsBeforeCapture = 2;
    private int _eagerSteps;
    private CudaGraph? _graph;
    private GraphKey _graphKey;
    private DeviceBuffer? _clearTarget;
    private Action? _clearGradients;

    /// <summary>
    /// Plans the device buffers for <paramref name="batch"/> images with 2 global and <paramref name="localCrops"/> local
    /// crops each. In a data-parallel run <paramref name="batch"/> is the rank's shard and <paramref name="gradientBatch"/>
    /// the global batch, whose mean loss the gradient is of (0: one rank).
    /// </summary>
    public CudaDinoStep(CudaDevice device, CudaScheduleOps ops, int batch, int localCrops, int gradientBatch = 0)
    {
        Bf16 = ops.Precision == CudaPrecision.Bf16;
        if (Bf16 && TModel.Bf16TrainingUnsupported is { } reason)
            throw new NotSupportedException(TModel.Description.Name + " has no bf16 training schedule: " + reason + " Use --precision tf32 or fp32.");
        _layout = new CudaStepLayout(TModel.Description, batch, localCrops, Bf16 ? TModel.GpuPlans : null, gradientBatch);
        _device = device;
        _ops = ops;
        _loss = new CudaLossKernels(ops.Module.Source, Bf16);
        Batch = batch;
        LocalCrops = localCrops;

        _globalArena = device.Allocate(_layout.GlobalArena);
        _localArena = device.Allocate(_layout.LocalArena);
        _headArena = device.Allocate(_layout.HeadArena);
        ArenaBytes = _globalArena.Bytes + _localArena.Bytes + _headArena.Bytes;

        _features = device.Allocate(_layout.Features);
        _featureGradients = device.Allocate(_layout.Features);
        _logits = device.Allocate(_layout.Logits);
        _logitGradients = device.Allocate(_layout.Logits);
        _teacherFeatures = device.Allocate(_layout.TeacherFeatures);
        _teacherLogits = device.Allocate(_layout.TeacherLogits);
        _teacherProbabilities = device.Allocate(_layout.TeacherLogits);
        _rowLosses = device.Allocate(_layout.RowLosses);
        _hostRowLosses = new double[Rows];
        _buffers = new CudaStepBuffers
        {
            GlobalArena = _globalArena.Ptr, LocalArena = _localArena.Ptr, HeadArena = _headArena.Ptr, Features = _features.Ptr,
            FeatureGradients = _featureGradients.Ptr, Logits = _logits.Ptr, LogitGradients = _logitGradients.Ptr, TeacherFeatures = _teacherFeatures.Ptr,
            TeacherLogits = _teacherLogits.Ptr, TeacherProbabilities = _teacherProbabilities.Ptr, RowLosses = _rowLosses.Ptr,
        };
    }

    /// <summary>Whether the step runs the bf16 schedules (and so needs the bf16 weight copies).</summary>
    public bool Bf16 { get; }

    /// <summary>Images per step.</summary>
    public int Batch { get; }

    /// <summary>Local crops per image.</summary>
    public int LocalCrops { get; }

    /// <summary>Rows of the global group (2 per image).</summary>
    public int GlobalRows => 2 * Batch;

    /// <summary>Rows of the local group.</summary>
    public int LocalRows => LocalCrops * Batch;

    /// <summary>All student rows.</summary>
    public int Rows => GlobalRows + LocalRows;

    /// <summary>Bytes of the three arenas.</summary>
    public long ArenaBytes { get; }

    /// <summary>The student's backbone CLS features of the last step [rows, D] (device).</summary>
    public DeviceBuffer StudentFeatures => _features;

    /// <summary>The student's head outputs of the last step [rows, K] (device).</summary>
    public DeviceBuffer StudentLogits => _logits;

    /// <summary>The teacher's head outputs of the last step [2·batch, K] (device).</summary>
    public DeviceBuffer TeacherLogits => _teacherLogits;

    /// <summary>The teacher's CLS features of the last step [2·batch, D] (device).</summary>
    public DeviceBuffer TeacherFeatures => _teacherFeatures;

    /// <summary>
    /// Queues the teacher and student forward, the loss and the student backward on the device's stream; the gradient
    /// buffer is zeroed and accumulated into. Returns nothing: <see cref="ReadLoss"/> waits for the step and sums the
    /// per-row losses in row order (as the CPU does), so the two can overlap with host work. A bf16 step also reads the
    /// bf16 copies of the student and the teacher (<paramref name="studentBf16"/>, <paramref name="teacherBf16"/>).
    /// </summary>
    public void Queue(Ptr student, Ptr teacher, DeviceBuffer gradients, in Training.StepInputs inputs, Ptr studentBf16 = default, Ptr teacherBf16 = default)
    {
        if (Bf16 && (studentBf16.IsNull || teacherBf16.IsNull)) throw new ArgumentException("A bf16 step needs the bf16 copies of the student and the teacher.");
        var weights = new CudaStepWeights { Student = student, Teacher = teacher, Gradients = gradients.Ptr, StudentBf16 = studentBf16, TeacherBf16 = teacherBf16 };
        // Every pointer of a trainer's steps is fixed; only the temperatures are arguments that change (the teacher's
        // during its warm-up epochs). So after the warm-up (GEMM plans made, modules loaded) the whole queue is captured
        // once as a CUDA graph and replayed, and captured again only when an argument changes.
        var key = new GraphKey(weights, inputs);
        if (CapturesGraphs && _eagerSteps >= EagerStepsBeforeCapture)
        {
            if (_graph is null || _graphKey != key)
            {
                // Forget the old graph before capturing: if the capture throws, the next step must capture again rather
                // than launch a destroyed executable.
                _graph?.Dispose();
                _graph = null;
                var captured = inputs;
                _graph = CudaGraph.Capture(_device, () => QueueEagerly(weights, gradients, captured));
                _graphKey = key;
            }
            _graph.Launch();
            return;
        }
        QueueEagerly(weights, gradients, inputs);
        _eagerSteps++;
    }

    /// <summary>Whether steps after the warm-up replay a captured CUDA graph (on by default).</summary>
    public bool UseGraphs { get; set; } = true;

    /// <summary>Whether the last step ran as a CUDA graph.</summary>
    public bool RanAsGraph => CapturesGraphs && _graph is not null && _eagerSteps >= EagerStepsBeforeCapture;

    /// <summary>
    /// Called once each step's head backward is queued, before the backbone's (<see cref="CudaStepSequence{TModel}"/>):
    /// a data-parallel trainer starts the all-reduce of the head's gradients there, on a stream of its own. Steps with it
    /// run eagerly: the all-reduce forks from the step's stream mid-queue and joins after it, which one captured graph
    /// of the step alone cannot hold.
    /// </summary>
    public Action? HeadGradientsDone { get; set; }

    private bool CapturesGraphs => Timer is null && UseGraphs && HeadGradientsDone is null;

    /// <summary>
    /// When set, steps run eagerly through this timer (never as a CUDA graph), which marks every segment and plan node
    /// of the bf16 schedules on the stream (<see cref="StartNodeTiming"/>).
    /// </summary>
    public CudaNodeTimer? Timer { get; private set; }

    /// <summary>Times the following steps node by node with <paramref name="clock"/>'s marks; returns the timer to <c>Start</c> and <c>Finish</c> each step with.</summary>
    public CudaNodeTimer StartNodeTiming(ICudaEventClock clock)
    {
        if (!Bf16) throw new InvalidOperationException("Node timing needs the bf16 schedules, which announce the plan's nodes; this step runs the fp32 ones.");
        Timer = new CudaNodeTimer(_ops, clock, TModel.GpuPlans);
        return Timer;
    }

    /// <summary>Runs the following steps without the timer again.</summary>
    public void StopNodeTiming() => Timer = null;

    private void QueueEagerly(in CudaStepWeights weights, DeviceBuffer gradients, in Training.StepInputs inputs)
    {
        // One delegate per gradient buffer, not one per step: a step allocates nothing.
        if (!ReferenceEquals(_clearTarget, gradients)) (_clearTarget, _clearGradients) = (gradients, gradients.Clear);
        CudaStepSequence<TModel>.Queue(Timer ?? (CudaOps)_ops, _loss, _layout, _buffers, weights, inputs, _clearGradients!, HeadGradientsDone);
    }

    /// <summary>Waits for the queued step and returns its loss: the per-row losses summed in row order, over 2(V − 1)B.</summary>
    public unsafe double ReadLoss()
    {
        fixed (double* host = _hostRowLosses)
        {
            CudaApi.CopyDeviceToHost(host, _rowLosses.Address, (long)Rows * sizeof(double), _device.Stream);
            _device.Synchronize();
        }
        return LossFromRowLosses(_hostRowLosses, Batch, LocalCrops);
    }

    /// <summary>
    /// The step's loss from the per-row losses, as <c>DinoLoss.Forward</c> returns it: their sum in row order over
    /// 2(V − 1)B, where V = 2 + local crops (each global crop's teacher row is compared with every other crop).
    /// </summary>
    internal static double LossFromRowLosses(ReadOnlySpan<double> rowLosses, int batch, int localCrops)
    {
        double total = 0;
        for (int r = 0; r < rowLosses.Length; r++) total += rowLosses[r];
        int crops = 2 + localCrops;
        return total / (2.0 * (crops - 1) * batch);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _graph?.Dispose();
        foreach (var buffer in new[] { _globalArena, _localArena, _headArena, _features, _featureGradients, _logits, _logitGradients, _teacherFeatures, _teacherLogits, _teacherProbabilities, _rowLosses })
            buffer.Dispose();
    }

    private readonly record struct GraphKey(CudaStepWeights Weights, Training.StepInputs Inputs);
}
