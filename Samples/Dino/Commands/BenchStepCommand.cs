using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Models;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino bench step --model M --batch B [--local-crops L] [--steps N] [--warmup W] [--threads T] [--no-torch]</c>:
/// times whole DINO training steps on the compiled model (teacher forward, student forward and backward on 2 global
/// and L local crops, loss, clipping, AdamW, EMA, center) after warm-up, and the identical step in PyTorch on the same
/// machine (tools/bench/torch_step.py), and prints both and their ratio.
/// </summary>
public sealed class BenchStepCommand : IDinoModelVisitor
{
    /// <summary>The options of <c>dino bench step</c> (no path options).</summary>
    public static readonly CommandSpec Spec = new("bench step", valued: ["--model", "--batch", "--local-crops", "--steps", "--warmup", "--threads"], flags: ["--no-torch"]);
    private readonly TextWriter _output;
    private readonly int _batch, _localCrops, _steps, _warmup, _threads;
    private readonly string _model;
    private double _imagesPerSecond;

    private BenchStepCommand(CommandOptions options, TextWriter output)
    {
        _output = output;
        _model = options.Text("--model");
        _batch = options.Int("--batch", 128, minimum: 1);
        _localCrops = options.Int("--local-crops", 6, minimum: 0);
        _steps = options.Int("--steps", 10, minimum: 1);
        _warmup = options.Int("--warmup", 2, minimum: 0);
        _threads = options.Int("--threads", Environment.ProcessorCount, minimum: 1);
    }

    public static int Run(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(Spec, args);
        var command = new BenchStepCommand(options, output);
        var model = ModelResolver.Resolve(command._model);
        ModelZoo.Visit(model.Name, command);
        if (!options.Has("--no-torch")) command.CompareWithTorch();
        return DinoCli.Success;
    }

    public unsafe void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        CpuParallel.ThreadCount = _threads;
        var description = TModel.Description;
        var a = description.Architecture;
        var table = description.Parameters;
        int k = a.Head.OutDim;
        using var student = new NativeBuffer(table.FlatLength);
        using var teacher = new NativeBuffer(table.FlatLength);
        using var gradients = new NativeBuffer(table.FlatLength);
        using var moment1 = new NativeBuffer(table.FlatLength);
        using var moment2 = new NativeBuffer(table.FlatLength);
        using var center = new NativeBuffer(k);
        using var globalCrops = new NativeBuffer(2L * _batch * a.Channels * a.GlobalCrop * a.GlobalCrop);
        using var localCrops = new NativeBuffer((long)_localCrops * _batch * a.Channels * a.LocalCrop * a.LocalCrop);
        using var globalDrop = new NativeBuffer(2L * a.Depth * 2 * _batch);
        using var localDrop = new NativeBuffer(2L * a.Depth * _localCrops * _batch);
        using var step = new DinoStep<TModel>(_batch, _localCrops);
        var norms = new double[table.Count];
        var optimizer = new AdamW(table);
        var random = new Random(0);

        ParameterInitializer.Initialize(student.Data, table, seed: 0);
        student.Span.CopyTo(teacher.Span);
        FillNormal(globalCrops, random);
        FillNormal(localCrops, random);
        var inputs = new StepInputs
        {
            GlobalCrops = globalCrops.Ptr, LocalCrops = localCrops.Ptr, GlobalDropScales = globalDrop.Ptr, LocalDropScales = localDrop.Ptr,
            Center = center.Ptr, StudentTemperature = 0.1f, TeacherTemperature = 0.04f,
        };

        void OneStep(int iteration)
        {
            DrawDropScales(globalDrop, a, 2 * _batch, random);
            DrawDropScales(localDrop, a, _localCrops * _batch, random);
            step.Run(student.Ptr, teacher.Ptr, gradients.Ptr, table.FlatLength, inputs);
            GradientClipping.ClipPerTensor(gradients.Data, table, 3f, norms);
            optimizer.Step(student.Data, gradients.Data, moment1.Data, moment2.Data, 5e-4f, 0.04f, freezeLastLayer: iteration == 0);
            TeacherEma.Update(teacher.Data, student.Data, table.FlatLength, 0.996f);
            DinoLoss.UpdateCenter(step.TeacherLogitsPtr, center.Data, 2 * _batch, k, 0.9f);
        }

        for (int i = 0; i < _warmup; i++) OneStep(i);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < _steps; i++) OneStep(_warmup + i);
        clock.Stop();
        long perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / _steps;

        _imagesPerSecond = _batch * _steps / clock.Elapsed.TotalSeconds;
        _output.WriteLine($"{description.Name}: batch {_batch}, crops 2x{a.GlobalCrop} + {_localCrops}x{a.LocalCrop}, {_threads} thread(s), {_steps} steps after {_warmup} warm-up");
        _output.WriteLine($"  DinoCompiled (CPU)  {clock.Elapsed.TotalMilliseconds / _steps,9:F1} ms/step  {_imagesPerSecond,9:F1} images/s");
        _output.WriteLine($"  planned arenas      {Units.Bytes(step.ArenaBytes)} ({step.ArenaBytes:N0} bytes); managed allocation per step {perStep:N0} bytes");
    }

    private void CompareWithTorch()
    {
        string? script = FindUp(Path.Combine("tools", "bench", "torch_step.py"));
        if (script is null || !File.Exists("/usr/bin/python3"))
        {
            _output.WriteLine("  PyTorch             not measured: needs /usr/bin/python3 with torch and tools/bench/torch_step.py (or pass --no-torch)");
            return;
        }
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--model", _model, "--batch", Num(_batch), "--local-crops", Num(_localCrops), "--steps", Num(_steps), "--warmup", Num(_warmup), "--threads", Num(_threads) })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            _output.WriteLine($"  PyTorch             failed (exit {process.ExitCode}): {stderr.Trim().Split('\n').LastOrDefault()}");
            return;
        }
        using var json = JsonDocument.Parse(line);
        double torch = json.RootElement.GetProperty("images_per_second").GetDouble();
        string version = json.RootElement.GetProperty("torch").GetString() ?? "?";
        _output.WriteLine($"  PyTorch {version,-11} {_batch * 1000.0 / torch,9:F1} ms/step  {torch,9:F1} images/s (eager, float32, {_threads} thread(s))");
        _output.WriteLine($"  ratio               {_imagesPerSecond / torch,9:F2}x PyTorch");
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? FindUp(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    private static void FillNormal(NativeBuffer buffer, Random random)
    {
        var span = buffer.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)ParameterInitializer.StandardNormal(random);
    }

    /// <summary>Per-sample stochastic depth: keep with probability 1 − r, scaled by 1/(1 − r).</summary>
    private static void DrawDropScales(NativeBuffer buffer, ArchitectureInfo a, int units, Random random)
    {
        var span = buffer.Span;
        for (int block = 0; block < a.Depth; block++)
        {
            double rate = a.Blocks[block].DropPath;
            for (int i = 0; i < 2 * units; i++)
                span[block * 2 * units + i] = rate == 0 ? 1f : random.NextDouble() < rate ? 0f : (float)(1 / (1 - rate));
        }
    }
}
