using System;
using DinoCompiled.Cuda;
using System.Reflection;
using DinoCompiled.Compiled;
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
    private ITrainingAccelerator? _accelerator;

    private AcceleratorFactory(CudaDevice device, CudaPrecision? precision, TrainingOptions options, int iterationsPerEpoch, float[] initialStudent, System.IO.TextWriter log)
    {
        _device = device;
        _precision = precision;
        _log = log;
        _options = options;
        _iterationsPerEpoch = iterationsPerEpoch;
        _initialStudent = initialStudent;
    }

    /// <summary>The accelerator for <paramref name="device"/> ("cpu", "cuda" or "auto"), or null to train on the CPU.</summary>
    public static ITrainingAccelerator? Create(string device, string precisionText, Type model, TrainingOptions options, int iterationsPerEpoch,
        ReadOnlySpan<float> initialStudent, System.IO.TextWriter log)
    {
        if (device == "cpu") return null;
        if (device is not ("cuda" or "auto")) throw new CliException($"train: --device takes cpu, cuda or auto, not '{device}'");
        CudaPrecision? precision = null;
        if (precisionText != "auto")
        {
            if (!Enum.TryParse<CudaPrecision>(precisionText, ignoreCase: true, out var chosen) || int.TryParse(precisionText, out _))
                throw new CliException($"train: --precision takes auto, bf16, tf32 or fp32, not '{precisionText}'");
            precision = chosen;
        }
        if (!CudaDevice.TryOpen(0, out var opened, out string reason))
        {
            if (device == "cuda") throw new CliException("train: --device cuda: " + reason);
            log.WriteLine($"  device: CPU (no GPU: {reason})");
            return null;
        }
        var factory = new AcceleratorFactory(opened!, precision, options, iterationsPerEpoch, initialStudent.ToArray(), log);
        try
        {
            // Every class the generator compiles declares ICudaDinoModel (its CUDA module and schedules): a zoo model or a
            // user's own from --models alike. Its type is known here only at run time, hence the generic call by reflection.
            if (!typeof(ICudaDinoModel).IsAssignableFrom(model)) throw new CliException($"train: {model.Name} has no CUDA module");
            typeof(AcceleratorFactory).GetMethod(nameof(Visit))!.MakeGenericMethod(model).Invoke(factory, BindingFlags.DoNotWrapExceptions, null, null, null);
        }
        catch
        {
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
        _accelerator = new CudaTrainingAccelerator<TModel>(_device, precision, _options, _iterationsPerEpoch, _initialStudent);
    }
}
