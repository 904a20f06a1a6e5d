using System;
using DinoCompiled.Cuda;
using System.Reflection;
using DinoCompiled.Compiled;
using DinoCompiled.Distributed;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// Chooses where <c>dino train</c> runs (<c>--device cpu|cuda|auto</c>) and, for the GPU, builds the CUDA accelerator for
/// the model's compiled class: auto takes the GPU when a CUDA driver and device are there, and says which it took.
/// <c>--precision auto</c> (the default) takes the bf16 schedules, and tf32 GEMMs on the fp32 schedules for a model they
/// do not serve (a head dim flash attention's backward has no instance for), saying why.
/// </summary>
public sealed class AcceleratorFactory : ICudaModelVisitor
{
    private readonly CudaDevice _device;
    private readonly CudaPrecision? _precision;
    private readonly System.IO.TextWriter _log;
    private readonly TrainingOptions _options;
    private readonly int _iterationsPerEpoch;
    private readonly float[] _initialStudent;
    private readonly NcclCommunicator? _communicator;
    private ITrainingAccelerator? _accelerator;

    private AcceleratorFactory(CudaDevice device, CudaPrecision? precision, TrainingOptions options, int iterationsPerEpoch, float[] initialStudent, System.IO.TextWriter log,
        NcclCommunicator? communicator)
    {
        _device = device;
        _communicator = communicator;
        _precision = precision;
        _log = log;
        _options = options;
        _iterationsPerEpoch = iterationsPerEpoch;
        _initialStudent = initialStudent;
    }

    /// <summary>
    /// The accelerator for <paramref name="device"/> ("cpu", "cuda" or "auto"), or null to train on the CPU. On several
    /// ranks each takes the GPU of its local rank and the ranks sum their gradients with NCCL, bootstrapped over
    /// <paramref name="ranks"/>; <c>auto</c> takes the GPUs only when every rank has one (the ranks agree first).
    /// </summary>
    public static ITrainingAccelerator? Create(string device, string precisionText, Type model, TrainingOptions options, int iterationsPerEpoch,
        ReadOnlySpan<float> initialStudent, System.IO.TextWriter log, ICommunicator? ranks = null)
    {
        ranks ??= SingleProcess.Instance;
        if (device == "cpu") return null;
        if (device is not ("cuda" or "auto")) throw new CliException($"train: --device takes cpu, cuda or auto, not '{device}'");
        CudaPrecision? precision = null;
        if (precisionText != "auto")
        {
            if (!Enum.TryParse<CudaPrecision>(precisionText, ignoreCase: true, out var chosen) || int.TryParse(precisionText, out _))
                throw new CliException($"train: --precision takes auto, bf16, tf32 or fp32, not '{precisionText}'");
            precision = chosen;
        }
        int ordinal = ranks.Size > 1 ? MpiCommunicator.LocalRank : 0;
        bool found = CudaDevice.TryOpen(ordinal, out var opened, out string reason);
        if (ranks.Size > 1 && !EveryRankAgrees(ranks, found))
        {
            opened?.Dispose();
            if (found) reason = "another rank has no GPU";
            found = false;
        }
        if (!found)
        {
            // On several ranks the job's error line names the rank already; this names the GPU it looked for.
            string which = ranks.Size > 1 ? $"GPU {ordinal} (the local rank's): " : "";
            if (device == "cuda") throw new CliException($"train: --device cuda: {which}{reason}");
            log.WriteLine($"  device: CPU (no GPU: {which}{reason})");
            return null;
        }
        NcclCommunicator? nccl = null;
        AcceleratorFactory factory;
        try
        {
            if (ranks.Size > 1) nccl = CreateNccl(ranks, opened!);
            factory = new AcceleratorFactory(opened!, precision, options, iterationsPerEpoch, initialStudent.ToArray(), log, nccl);
        }
        catch
        {
            opened!.Dispose();
            throw;
        }
        try
        {
            // Every class the generator compiles declares ICudaDinoModel (its CUDA module and schedules): a zoo model or a
            // user's own from --models alike. Its type is known here only at run time, hence the generic call by reflection.
            if (!typeof(ICudaDinoModel).IsAssignableFrom(model)) throw new CliException($"train: {model.Name} has no CUDA module");
            typeof(AcceleratorFactory).GetMethod(nameof(Visit))!.MakeGenericMethod(model).Invoke(factory, BindingFlags.DoNotWrapExceptions, null, null, null);
        }
        catch
        {
            nccl?.Dispose();
            opened!.Dispose();
            throw;
        }
        log.WriteLine($"  device: {factory._accelerator!.Description}");
        return factory._accelerator;
    }

    public void Visit<TModel>() where TModel : ICudaDinoModel
    {
        var precision = _precision ?? (TModel.Bf16TrainingUnsupported is null ? CudaPrecision.Bf16 : CudaPrecision.Tf32);
        if (_precision is null && TModel.Bf16TrainingUnsupported is { } reason) _log.WriteLine($"  precision: tf32 GEMMs, not bf16 ({reason})");
        if (precision == CudaPrecision.Bf16 && TModel.Bf16TrainingUnsupported is { } unsupported)
            throw new CliException($"train: --precision bf16: {TModel.Description.Name} has no bf16 training schedule: {unsupported} Use --precision tf32.");
        _accelerator = new CudaTrainingAccelerator<TModel>(_device, precision, _options, _iterationsPerEpoch, _initialStudent, _communicator);
    }

    /// <summary>Whether <paramref name="mine"/> holds on every rank (a sum of flags), so that all ranks take the same device kind.</summary>
    private static unsafe bool EveryRankAgrees(ICommunicator ranks, bool mine)
    {
        double missing = mine ? 0 : 1;
        ranks.AllReduceSum(&missing, 1);
        return missing == 0;
    }

    /// <summary>NCCL over the ranks, each on its GPU; a missing libnccl or a failed set-up is a one-line error naming the rank.</summary>
    private static NcclCommunicator CreateNccl(ICommunicator ranks, CudaDevice device)
    {
        try
        {
            return NcclCommunicator.Create(ranks, device);
        }
        catch (Exception exception) when (exception is CudaLibraryNotFoundException or CudaException)
        {
            throw new CliException($"train: rank {ranks.Rank}: {exception.Message.ReplaceLineEndings(" ")}");
        }
    }
}
