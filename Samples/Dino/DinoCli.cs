using System;
using System.Collections.Generic;
using System.IO;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Linq;

namespace DinoCompiled.Cli;

/// <summary>The <c>dino</c> program: dispatches a command line to its command. Exit codes: 0 success, 2 usage or input error.</summary>
public static class DinoCli
{
    public const int Success = 0;
    public const int UsageError = 2;

    private const string Usage =
        "usage: dino <command> [arguments]\n" +
        "\n" +
        "commands:\n" +
        "  inspect MODEL   the compiled model: parameters, FLOPs, CPU and GPU memory plans; [--gpu h100|h200 --batch N --locals L] predicts a step\n" +
        "  models          the models in the zoo\n" +
        "  train           train DINO and report k-NN accuracy: [--model M] [--models DLL] [--data DIR] [--preset small-data] [--epochs N] [--batch B] ... (see README)\n" +
        "  eval knn        weighted k-NN of a checkpoint's teacher: --checkpoint C [--data D] [--k 20] [--t 0.07]\n" +
        "  eval linear     a linear probe on the teacher's features: --checkpoint C [--data D] [--last-blocks 4] [--avgpool] [--optimizer sgd|adamw] [--epochs 100] [--lrs L,...] [--out probe.safetensors]\n" +
        "  features        teacher features as .npy: --checkpoint C [--data D] --split train|test [--tokens cls|patch|all] [--blocks 9,10,11] --out F.npy\n" +
        "  attention       the teacher's CLS attention per head as a PNG: --checkpoint C --image F|--images DIR [--threshold 0.6] [--block N] [--mean M --std S] --out maps.png\n" +
        "  pca             the first 3 principal components of the patch features as RGB: --checkpoint C --image F|--images DIR [--threshold 0] [--no-mask] --out pca.png\n" +
        "  retrieve        the gallery images nearest a query (teacher CLS, cosine), as text and a PNG: --checkpoint C --gallery DIR --query F [--top 8] [--out sheet.png] [--cache FILE]\n" +
        "  export onnx     the teacher backbone as an ONNX model (dynamic batch): --checkpoint C --out F.onnx [--crop N] [--tokens cls|all] [--opset 17]\n" +
        "  export backbone the teacher backbone under timm/DINO keys as safetensors (what train reads to start from it): --checkpoint C --out F.safetensors\n" +
        "  bench step      time whole DINO training steps against PyTorch: --model M --batch B [--local-crops L] [--steps N] [--threads T]\n" +
        "  gpu check       the GPU against the CPU per tensor in fp32/tf32/bf16, and the ViT-S/16 step timed: [--models A,B] [--modes ...] [--json F]\n";

    /// <summary>
    /// Every command and its options, in the order of the usage text; <c>inspect</c> and <c>models</c> parse their own
    /// few arguments (a model name, <c>--no-table</c>) and take no path. Tests walk this list to try every path option.
    /// </summary>
    public static readonly IReadOnlyList<CommandSpec> Commands =
    [
        new CommandSpec("inspect", valued: ["--gpu", "--batch", "--locals"], flags: ["--no-table"]),
        new CommandSpec("models", valued: [], flags: []),
        TrainCommand.Spec,
        EvaluateCommand.KnnSpec,
        LinearProbeCommand.Spec,
        EvaluateCommand.FeaturesSpec,
        AttentionCommand.Spec,
        PcaCommand.Spec,
        RetrieveCommand.Spec,
        ExportCommand.OnnxSpec,
        ExportCommand.BackboneSpec,
        BenchStepCommand.Spec,
        GpuCheckCommand.Spec,
    ];

    /// <summary>Runs one command line.</summary>
    /// <param name="openCheckpointFile">
    /// Opens the temporary file each training checkpoint is written to before its atomic rename; null (the program) for
    /// a <see cref="FileStream"/>. Tests pass a stream that fails as a full disk does.
    /// </param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, Stream>? openCheckpointFile = null)
    {
        if (args.Length == 0 || args[0] is "help")
        {
            (args.Length == 0 ? error : output).Write(Usage);
            return args.Length == 0 ? UsageError : Success;
        }
        try
        {
            // A response file is read by the parser, which would drop one it cannot read: checked first, as every path is.
            foreach (string arg in args)
                if (arg.Length > 1 && arg[0] == '@') CliPaths.RequireInputFile("response file", arg[1..]);
        }
        catch (CliException exception)
        {
            return Fail(error, exception.Message);
        }
        var parse = CommandLineTree.Build().Parse(args);
        // Help, version and the completion directive are System.CommandLine's to answer.
        if (parse.Errors.Count == 0 && parse.Action is not null)
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
        if (Misspelt(parse) is { } misspelt) return Fail(error, misspelt);
        // Response files (@file) expanded; every other check is the commands' own, with their one-line errors.
        args = parse.Tokens.Where(t => t.Type != TokenType.Directive).Select(t => t.Value).ToArray();
        if (args.Length == 0) return Fail(error, parse.Errors.Count > 0 ? parse.Errors[0].Message : "name a command; 'dino --help' lists them");
        try
        {
            return args[0] switch
            {
                "inspect" => InspectCommand.Run(args.Skip(1).ToArray(), output, error),
                "models" => ModelsCommand.Run(output),
                "train" => TrainCommand.Run(args.Skip(1).ToArray(), output, error, openCheckpointFile),
                "eval" when args.Length > 1 && args[1] == "knn" => EvaluateCommand.RunKnn(args.Skip(2).ToArray(), output, error),
                "eval" when args.Length > 1 && args[1] == "linear" => LinearProbeCommand.Run(args.Skip(2).ToArray(), output, error),
                "eval" => Fail(error, "eval: the evaluations are: knn, linear"),
                "features" => EvaluateCommand.RunFeatures(args.Skip(1).ToArray(), output, error),
                "attention" => AttentionCommand.Run(args.Skip(1).ToArray(), output),
                "pca" => PcaCommand.Run(args.Skip(1).ToArray(), output),
                "retrieve" => RetrieveCommand.Run(args.Skip(1).ToArray(), output),
                "export" when args.Length > 1 && args[1] == "onnx" => ExportCommand.RunOnnx(args.Skip(2).ToArray(), output),
                "export" when args.Length > 1 && args[1] == "backbone" => ExportCommand.RunBackbone(args.Skip(2).ToArray(), output),
                "export" => Fail(error, "export: the formats are: onnx, backbone"),
                "bench" when args.Length > 1 && args[1] == "step" => BenchStepCommand.Run(args.Skip(2).ToArray(), output),
                "bench" => Fail(error, "bench: the benchmarks are: step"),
                "gpu" when args.Length > 1 && args[1] == "check" => GpuCheckCommand.Run(args.Skip(2).ToArray(), output),
                "gpu" => Fail(error, "gpu: the GPU commands are: check"),
                _ => Fail(error, $"unknown command '{args[0]}'; the commands are: train, eval, features, attention, pca, retrieve, export, inspect, models, bench, gpu"),
            };
        }
        catch (CliException exception)
        {
            return Fail(error, exception.Message);
        }
        catch (Cuda.CudaException exception)
        {
            // A GPU failure mid-run (out of memory, a launch error) is one line naming the call and the CUDA error; the
            // last checkpoint is intact because checkpoints are written atomically.
            return Fail(error, exception.Message);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The net under the checks: every path is checked before work starts and the writers name their file,
            // so this is a file that changed under a running command; still one line, never a stack trace.
            return Fail(error, exception.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>An unknown command, or an unknown option of a command, with the closest name when one is close.</summary>
    private static string? Misspelt(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var words = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent) words.Insert(0, result.Command.Name);
        string name = string.Join(' ', words);
        foreach (string token in parse.UnmatchedTokens)
        {
            if (command.Subcommands.Count > 0 && !token.StartsWith('-'))
            {
                string known = string.Join(", ", command.Subcommands.Select(c => c.Name));
                string? close = CommandLineTree.Suggest(token, command.Subcommands.Select(c => c.Name));
                return (name.Length == 0 ? "" : name + ": ") + $"unknown command '{token}'" + (close is null ? "" : $" (did you mean '{close}'?)") +
                       $"; the commands are: {known}";
            }
            var spec = Commands.FirstOrDefault(c => c.Name == name);
            if (spec is null || !token.StartsWith("--", StringComparison.Ordinal)) continue;
            string? suggestion = CommandLineTree.Suggest(token, spec.Valued.Concat(spec.Flags));
            return suggestion is not null
                ? $"{name}: unknown option '{token}'; did you mean '{suggestion}'?"
                : $"{name}: unknown option '{token}'; the options are: {string.Join(", ", spec.Valued.Concat(spec.Flags).OrderBy(o => o, StringComparer.Ordinal))}";
        }
        return null;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine("dino: " + message);
        return UsageError;
    }
}
