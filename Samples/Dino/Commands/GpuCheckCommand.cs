using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using DinoCompiled.Cuda;
using DinoCompiled.Models;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino gpu check [--models fmnist-tiny,vit-small-16] [--modes fp32,tf32,bf16] [--batch 64] [--local-crops 10]
/// [--steps 10] [--warmup 3] [--no-timing] [--json F]</c>: the conformance harness (the GPU against the CPU on one whole
/// training step, per tensor, in each precision mode) for each model, then the ViT-S/16 DINO step timed in each mode,
/// and one bf16 step timed node by node with CUDA events beside the performance model's estimate of each (stage, op).
/// Prints a table and, with --json, writes every number for tools/gpu/gpu-check.sh. Exit code 1 when a tensor is out of bounds.
/// </summary>
public sealed class GpuCheckCommand : ICudaModelVisitor
{
    /// <summary>The options of <c>dino gpu check</c>.</summary>
    public static readonly CommandSpec Spec = new("gpu check",
        valued: ["--models", "--modes", "--batch", "--local-crops", "--steps", "--warmup", "--timing-model"], flags: ["--no-timing"],
        paths: new Dictionary<string, PathKind> { ["--json"] = PathKind.OutputFile });
    private readonly TextWriter _output;
    private readonly CudaDevice _device;
    private readonly CudaPrecision[] _modes;
    private readonly List<ConformanceResult> _conformance = new();
    private readonly List<CudaStepTiming> _timings = new();
    private bool _timing;
    private IReadOnlyList<CudaNodeTiming>? _nodeTimings;
    private GpuStepPrediction? _predicted;
    private CudaNcclCheckResult? _nccl;
    private int _batch, _localCrops, _steps, _warmup;

    private GpuCheckCommand(TextWriter output, CudaDevice device, CudaPrecision[] modes)
    {
        _output = output;
        _device = device;
        _modes = modes;
    }

    public static int Run(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(Spec, args);
        var models = options.Text("--models", "fmnist-tiny,vit-small-16").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var modes = options.Text("--modes", "fp32,tf32,bf16").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => Enum.TryParse<CudaPrecision>(m, ignoreCase: true, out var mode) ? mode : throw new CliException($"gpu check: --modes takes fp32, tf32 and bf16, not '{m}'")).ToArray();
        if (!CudaDevice.TryOpen(0, out var device, out string reason)) throw new CliException("gpu check: no GPU: " + reason);
        using (device)
        {
            var command = new GpuCheckCommand(output, device!, modes);
            output.WriteLine($"dino gpu check on {device}");
            foreach (var name in models)
            {
                var model = ModelResolver.Resolve(name);
                command._timing = false;
                CudaModelZoo.Visit(model.Name, command);
            }
            command.CheckNccl();
            if (!options.Has("--no-timing"))
            {
                command._timing = true;
                command._batch = options.Int("--batch", 64, minimum: 1);
                command._localCrops = options.Int("--local-crops", 10, minimum: 0);
                command._steps = options.Int("--steps", 10, minimum: 1);
                command._warmup = options.Int("--warmup", 3, minimum: 1);
                CudaModelZoo.Visit(ModelResolver.Resolve(options.Text("--timing-model", "vit-small-16")).Name, command);
            }
            if (options.Has("--json"))
            {
                try
                {
                    command.WriteJson(options.Text("--json"));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"gpu check: --json: {options.Text("--json")}: could not be written: {exception.Message.ReplaceLineEndings(" ")}");
                }
            }
            int failures = command._conformance.Count(r => !r.Pass);
            output.WriteLine(failures == 0 ? "conformance: every tensor within its bound" : $"conformance: {failures} tensor(s) out of bounds");
            return failures == 0 && command._nccl?.Pass != false ? DinoCli.Success : 1;
        }
    }

    public void Visit<TModel>() where TModel : ICudaDinoModel
    {
        if (_timing)
        {
            foreach (var mode in _modes)
            {
                var timing = CudaStepBenchmark.Run<TModel>(_device, mode, _batch, _localCrops, _warmup, _steps);
                _timings.Add(timing);
                _output.WriteLine($"  {timing.Model} {timing.Mode,-5} batch {timing.Batch} (2 global + {timing.LocalCrops} local crops): {timing.MillisecondsPerStep,9:F2} ms/step  {timing.ImagesPerSecond,9:F1} images/s  {timing.FlopsPerSecond / 1e12,7:F1} TFLOP/s");
            }
            // The performance model prices the bf16 schedules (docs/BF16.md) beside the measured steps, then node by node.
            if (GpuSpec.ForDevice(_device.Name) is { } spec)
            {
                var predicted = GpuPerformanceModel.Predict(TModel.Description, TModel.GpuPlans, spec, _batch, _localCrops);
                _output.WriteLine($"  {TModel.Description.Name} predicted for the bf16 schedules on {spec.Name}: {predicted.Seconds * 1e3,9:F2} ms/step  {predicted.ImagesPerSecond,9:F1} images/s  MFU {predicted.Mfu * 100:F1} %");
                if (_modes.Contains(CudaPrecision.Bf16) && TModel.Bf16TrainingUnsupported is null)
                {
                    _nodeTimings = CudaStepBenchmark.TimeNodes<TModel>(_device, _batch, _localCrops, _warmup);
                    _predicted = predicted;
                    WriteNodeTable(_nodeTimings, predicted);
                }
            }
            return;
        }
        var a = TModel.Description.Architecture;
        bool small = a.GlobalCrop <= 64;
        foreach (var mode in _modes)
        {
            var results = CudaConformance.Run<TModel>(_device, mode, batch: small ? 8 : 2, localCrops: 2, seed: 5);
            _conformance.AddRange(results);
            var worst = results.OrderByDescending(r => double.IsNaN(r.RelativeError) ? double.PositiveInfinity : r.RelativeError).First();
            _output.WriteLine($"  {TModel.Description.Name} {mode.ToString().ToLowerInvariant(),-5} {results.Count} tensors, worst {worst.Tensor} {worst.RelativeError:E2} (bound {worst.Bound:E0}) {(results.All(r => r.Pass) ? "pass" : "FAIL")}");
            foreach (var failure in results.Where(r => !r.Pass).Take(10))
                _output.WriteLine($"      {failure.Tensor}: {failure.RelativeError:E3}");
        }
    }

    /// <summary>
    /// The data-parallel step on one rank through NCCL against the single-GPU step (FmnistTiny, bf16 schedules, 3 steps):
    /// bit for bit, or the first difference. Where there is no libnccl (DINO_NCCL_PATH names pip's) it says so and goes on.
    /// </summary>
    private void CheckNccl()
    {
        var probe = CudaLibraries.Probe(CudaLibrary.Nccl);
        if (!probe.Found)
        {
            _output.WriteLine($"  nccl: not checked: {probe.Message}");
            return;
        }
        _nccl = CudaNcclCheck.Run<Models.FmnistTiny>(_device, CudaPrecision.Bf16, batch: 8, localCrops: 2, steps: 3);
        _output.WriteLine($"  {_nccl.Model} bf16 one rank through {_nccl.Engine}, {_nccl.Steps} steps against the single-GPU trainer: " +
                          (_nccl.Pass ? "identical (pass)" : "FAIL: " + _nccl.FirstDifference));
    }

    /// <summary>Measured against predicted per (stage, op), largest measured first; rows only one side has show a dash on the other.</summary>
    private void WriteNodeTable(IReadOnlyList<CudaNodeTiming> measured, GpuStepPrediction predicted)
    {
        var model = predicted.Kernels.ToDictionary(k => (k.Stage, k.Op));
        _output.WriteLine($"  bf16 step node by node (CUDA events, 1 step after {_warmup} warm-up) against the model on {predicted.Gpu.Name}:");
        _output.WriteLine($"    {"stage",-22} {"op",-20} {"nodes",6} {"measured ms",12} {"model ms",9} {"ratio",7}  bound");
        foreach (var row in measured.OrderByDescending(r => r.Seconds))
        {
            var estimate = model.GetValueOrDefault((row.Stage, row.Op));
            string ratio = estimate is null ? "-" : (row.Seconds / estimate.Seconds).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
            _output.WriteLine($"    {row.Stage,-22} {row.Op,-20} {row.Nodes,6} {row.Seconds * 1e3,12:F3} {(estimate is null ? "-" : (estimate.Seconds * 1e3).ToString("F3", System.Globalization.CultureInfo.InvariantCulture)),9} {ratio,7}  {estimate?.Bound ?? "-"}");
        }
        foreach (var estimate in predicted.Kernels.Where(k => !measured.Any(r => r.Stage == k.Stage && r.Op == k.Op)))
            _output.WriteLine($"    {estimate.Stage,-22} {estimate.Op,-20} {"-",6} {"-",12} {estimate.Seconds * 1e3,9:F3} {"-",7}  {estimate.Bound}");
        _output.WriteLine($"    {"total",-22} {"",-20} {"",6} {measured.Sum(r => r.Seconds) * 1e3,12:F3} {predicted.Seconds * 1e3,9:F3}");
    }

    private void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("device", _device.ToString());
        json.WriteStartArray("conformance");
        foreach (var r in _conformance)
        {
            json.WriteStartObject();
            json.WriteString("model", r.Model);
            json.WriteString("mode", r.Mode);
            json.WriteString("tensor", r.Tensor);
            if (double.IsFinite(r.RelativeError)) json.WriteNumber("relative_error", r.RelativeError);
            else json.WriteNull("relative_error");
            json.WriteNumber("bound", r.Bound);
            json.WriteBoolean("pass", r.Pass);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("timing");
        foreach (var t in _timings)
        {
            json.WriteStartObject();
            json.WriteString("model", t.Model);
            json.WriteString("mode", t.Mode);
            json.WriteNumber("batch", t.Batch);
            json.WriteNumber("local_crops", t.LocalCrops);
            json.WriteNumber("ms_per_step", t.MillisecondsPerStep);
            json.WriteNumber("images_per_second", t.ImagesPerSecond);
            json.WriteNumber("flops_per_step", t.FlopsPerStep);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("node_timing");
        var model = _predicted?.Kernels.ToDictionary(k => (k.Stage, k.Op));
        foreach (var row in _nodeTimings ?? Array.Empty<CudaNodeTiming>())
        {
            json.WriteStartObject();
            json.WriteString("stage", row.Stage);
            json.WriteString("op", row.Op);
            json.WriteNumber("nodes", row.Nodes);
            json.WriteNumber("measured_ms", row.Seconds * 1e3);
            if (model?.GetValueOrDefault((row.Stage, row.Op)) is { } estimate) json.WriteNumber("predicted_ms", estimate.Seconds * 1e3);
            else json.WriteNull("predicted_ms");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (_nccl is { } nccl)
        {
            json.WriteStartObject("nccl_single_rank");
            json.WriteString("engine", nccl.Engine);
            json.WriteString("model", nccl.Model);
            json.WriteNumber("steps", nccl.Steps);
            json.WriteBoolean("pass", nccl.Pass);
            if (nccl.FirstDifference is { } difference) json.WriteString("first_difference", difference);
            json.WriteEndObject();
        }
        if (_predicted is { } p)
        {
            json.WriteNumber("predicted_ms_per_step", p.Seconds * 1e3);
            json.WriteNumber("predicted_mfu", p.Mfu);
        }
        json.WriteEndObject();
    }
}
