using System;
using System.Linq;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// One DINO forward/backward of a compiled model on the GPU, the same sequence as the CPU's <c>DinoStep</c>: the teacher
/// on the global crops; the student on each crop group through the generated CUDA schedules, the head once on all rows;
/// the generated DINO-loss kernels; then the head's and each group's backward into the zeroed gradient buffer. Every
/// device buffer is sized once from the generated arena plans; a step allocates nothing. After a warm-up, the segment
/// schedules (hundreds of launches) can be replayed as one CUDA graph.
/// </summary>
/// <typeparam name="TModel">A model compiled by the generator with its CUDA module.</typeparam>
public sealed class CudaDinoStep<TModel> : IDisposable where TModel : ICudaDinoModel
{
    private readonly CudaDevice _device;
    private readonly CudaScheduleOps _ops;
    private readonly CudaStepKernels _kernels;
    private readonly ArchitectureInfo _architecture;
    private readonly DeviceBuffer _globalArena, _localArena, _headArena;
    private readonly DeviceBuffer _features, _featureGradients, _logits, _logitGradients, _teacherFeatures, _teacherLogits;
    private readonly DeviceBuffer _teacherProbabilities, _rowLosses;
    private readonly double[] _hostRowLosses;
    private const int EagerStepsBeforeCapture = 2;
    private int _eagerSteps;
    private CudaGraph? _graph;
    private GraphKey _graphKey;

    /// <summary>Plans the device buffers for <paramref name="batch"/> images with 2 global and <paramref name="localCrops"/> local crops each.</summary>
    public CudaDinoStep(CudaDevice device, CudaScheduleOps ops, int batch, int localCrops)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch needs at least one image.");
        if (localCrops < 0) throw new ArgumentOutOfRangeException(nameof(localCrops), localCrops, "The number of local crops cannot be negative.");
        _device = device;
        _ops = ops;
        _kernels = new CudaStepKernels(device, ops);
        var description = TModel.Description;
        _architecture = description.Architecture;
        Batch = batch;
        LocalCrops = localCrops;
        int d = _architecture.EmbedDim, k = _architecture.Head.OutDim;

        ArenaPlan Plan(int crop) => description.Arenas.First(a => a.Crop == crop);
        _globalArena = device.Allocate(Plan(_architecture.GlobalCrop).FixedFloats + Plan(_architecture.GlobalCrop).FloatsPerUnit * GlobalRows);
        _localArena = device.Allocate(localCrops == 0 ? 0 : Plan(_architecture.LocalCrop).FixedFloats + Plan(_architecture.LocalCrop).FloatsPerUnit * LocalRows);
        _headArena = device.Allocate(Plan(0).FixedFloats + Plan(0).FloatsPerUnit * Rows);
        ArenaBytes = _globalArena.Bytes + _localArena.Bytes + _headArena.Bytes;

        _features = device.Allocate((long)Rows * d);
        _featureGradients = device.Allocate((long)Rows * d);
        _logits = device.Allocate((long)Rows * k);
        _logitGradients = device.Allocate((long)Rows * k);
        _teacherFeatures = device.Allocate((long)GlobalRows * d);
        _teacherLogits = device.Allocate((long)GlobalRows * k);
        _teacherProbabilities = device.Allocate((long)GlobalRows * k);
        _rowLosses = device.Allocate(2L * Rows); // doubles
        _hostRowLosses = new double[Rows];
    }

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
    /// per-row losses in row order (as the CPU does), so the two can overlap with host work.
    /// </summary>
    public void Queue(Ptr student, Ptr teacher, DeviceBuffer gradients, in Training.StepInputs inputs)
    {
        // Every pointer of a trainer's steps is fixed; only the temperatures are arguments that change (the teacher's
        // during its warm-up epochs). So after the warm-up (GEMM plans made, modules loaded) the whole queue is captured
        // once as a CUDA graph and replayed, and captured again only when an argument changes.
        var key = new GraphKey(student, teacher, gradients.Address, inputs);
        if (UseGraphs && _eagerSteps >= EagerStepsBeforeCapture)
        {
            if (_graph is null || _graphKey != key)
            {
                // Forget the old graph before capturing: if the capture throws, the next step must capture again rather
                // than launch a destroyed executable.
                _graph?.Dispose();
                _graph = null;
                var captured = inputs;
                _graph = CudaGraph.Capture(_device, () => QueueEagerly(student, teacher, gradients, captured));
                _graphKey = key;
            }
            _graph.Launch();
            return;
        }
        QueueEagerly(student, teacher, gradients, inputs);
        _eagerSteps++;
    }

    /// <summary>Whether steps after the warm-up replay a captured CUDA graph (on by default).</summary>
    public bool UseGraphs { get; set; } = true;

    /// <summary>Whether the last step ran as a CUDA graph.</summary>
    public bool RanAsGraph => _graph is not null && _eagerSteps >= EagerStepsBeforeCapture && UseGraphs;

    private void QueueEagerly(Ptr student, Ptr teacher, DeviceBuffer gradients, in Training.StepInputs inputs)
    {
        int global = _architecture.GlobalCrop, local = _architecture.LocalCrop, d = _architecture.EmbedDim;
        TModel.BackboneForwardCuda(global, new SegmentBuffers { Parameters = teacher, Arena = _globalArena.Ptr, Units = GlobalRows, Input = inputs.GlobalCrops, Output = _teacherFeatures.Ptr }, _ops);
        TModel.HeadForwardCuda(new SegmentBuffers { Parameters = teacher, Arena = _headArena.Ptr, Units = GlobalRows, Input = _teacherFeatures.Ptr, Output = _teacherLogits.Ptr }, _ops);

        var globalGroup = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients.Ptr, Arena = _globalArena.Ptr, Units = GlobalRows, Input = inputs.GlobalCrops,
            Output = _features.Ptr, OutputGradient = _featureGradients.Ptr, DropScales = inputs.GlobalDropScales,
        };
        var localGroup = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients.Ptr, Arena = _localArena.Ptr, Units = LocalRows, Input = inputs.LocalCrops,
            Output = _features.Ptr + (long)GlobalRows * d, OutputGradient = _featureGradients.Ptr + (long)GlobalRows * d, DropScales = inputs.LocalDropScales,
        };
        var head = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients.Ptr, Arena = _headArena.Ptr, Units = Rows, Input = _features.Ptr, Output = _logits.Ptr,
            OutputGradient = _logitGradients.Ptr, InputGradient = _featureGradients.Ptr,
        };

        TModel.BackboneForwardCuda(global, globalGroup, _ops);
        if (LocalCrops > 0) TModel.BackboneForwardCuda(local, localGroup, _ops);
        TModel.HeadForwardCuda(head, _ops);
        _kernels.Loss(_logits.Ptr, _teacherLogits.Ptr, inputs.Center, _teacherProbabilities.Ptr, _logitGradients.Ptr, _rowLosses.Ptr,
            Batch, 2 + LocalCrops, inputs.StudentTemperature, inputs.TeacherTemperature);

        gradients.Clear();
        TModel.HeadBackwardCuda(head, _ops);
        if (LocalCrops > 0) TModel.BackboneBackwardCuda(local, localGroup, _ops);
        TModel.BackboneBackwardCuda(global, globalGroup, _ops);
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
        _kernels.Dispose();
        foreach (var buffer in new[] { _globalArena, _localArena, _headArena, _features, _featureGradients, _logits, _logitGradients, _teacherFeatures, _teacherLogits, _teacherProbabilities, _rowLosses })
            buffer.Dispose();
    }

    private readonly record struct GraphKey(Ptr Student, Ptr Teacher, ulong Gradients, Training.StepInputs Inputs);
}
