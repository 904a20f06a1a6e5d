using System;
using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Onnx;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino export onnx --checkpoint C --out backbone.onnx [--crop N] [--tokens cls|all] [--opset 17]</c>: a checkpoint's
/// teacher backbone as a standard ONNX model with a dynamic batch (<see cref="BackboneOnnxExporter"/>; docs/ONNX.md).
/// <c>dino export backbone --checkpoint C --out backbone.safetensors</c>: the teacher backbone under timm/DINO keys
/// (<see cref="BackboneExport"/>), the file <c>--init-from</c> and other tools read.
/// </summary>
public sealed class ExportCommand : IDinoModelVisitor
{
    /// <summary>The options of <c>dino export onnx</c>.</summary>
    public static readonly CommandSpec OnnxSpec = new("export onnx", valued: ["--crop", "--tokens", "--opset"], flags: [],
        paths: new System.Collections.Generic.Dictionary<string, PathKind> { ["--checkpoint"] = PathKind.InputFile, ["--out"] = PathKind.OutputFile, ["--models"] = PathKind.InputFile });

    /// <summary>The options of <c>dino export backbone</c>.</summary>
    public static readonly CommandSpec BackboneSpec = new("export backbone", valued: [], flags: [],
        paths: new System.Collections.Generic.Dictionary<string, PathKind> { ["--checkpoint"] = PathKind.InputFile, ["--out"] = PathKind.OutputFile, ["--models"] = PathKind.InputFile });

    private readonly CommandOptions _args;
    private readonly TextWriter _output;
    private readonly bool _onnx;

    private ExportCommand(CommandOptions args, TextWriter output, bool onnx) => (_args, _output, _onnx) = (args, output, onnx);

    public static int RunBackbone(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(BackboneSpec, args);
        options.Text("--out");
        CheckpointModel.Visit("export backbone", options, new ExportCommand(options, output, onnx: false));
        return DinoCli.Success;
    }

    public static int RunOnnx(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(OnnxSpec, args);
        options.Text("--out");
        string tokens = options.Text("--tokens", "cls");
        if (tokens is not ("cls" or "all")) throw new CliException($"export onnx: --tokens takes 'cls' or 'all', not '{tokens}'");
        CheckpointModel.Visit("export onnx", options, new ExportCommand(options, output, onnx: true));
        return DinoCli.Success;
    }

    public void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        if (_onnx) Onnx<TModel>();
        else Backbone<TModel>();
    }

    private void Backbone<TModel>() where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        using var teacher = CheckpointModel.LoadTeacher<TModel>(_args.Text("--checkpoint"));
        string path = _args.Text("--out");
        try
        {
            BackboneExport.Save(path, description.Parameters, teacher.Span.ToArray(), description.Name);
        }
        catch (CheckpointException exception)
        {
            throw new CliException("export backbone: " + exception.Message);
        }
        int tensors = 0;
        foreach (var p in description.Parameters)
            if (p.Part == ModelPart.Backbone) tensors++;
        _output.WriteLine($"{path}: {description.Name} teacher backbone, {tensors} tensors under timm/DINO keys (safetensors, F32)");
    }

    private void Onnx<TModel>() where TModel : ICompiledDinoModel
    {
        var description = TModel.Description;
        var a = description.Architecture;
        int crop = _args.Int("--crop", a.GlobalCrop, minimum: 1);
        if (crop % a.Patch != 0)
            throw new CliException($"export onnx: --crop {crop} is not a multiple of {description.Name}'s patch size {a.Patch}");
        int opset = _args.Int("--opset", OnnxExportOptions.MinimumOpset, minimum: OnnxExportOptions.MinimumOpset);
        var tokens = _args.Text("--tokens", "cls") == "all" ? OnnxTokenOutput.All : OnnxTokenOutput.Cls;
        using var teacher = CheckpointModel.LoadTeacher<TModel>(_args.Text("--checkpoint"));
        string path = _args.Text("--out");
        BackboneOnnxExporter.Write(path, description, teacher.Span, new OnnxExportOptions { Crop = crop, Tokens = tokens, Opset = opset });
        int tokenCount = 1 + (crop / a.Patch) * (crop / a.Patch);
        string shape = tokens == OnnxTokenOutput.Cls ? $"[batch, {a.EmbedDim}]" : $"[batch, {tokenCount}, {a.EmbedDim}]";
        _output.WriteLine($"{path}: {description.Name} teacher backbone, ONNX opset {opset}, {new FileInfo(path).Length / 1e6:F1} MB; " +
                          $"input 'images' float32 [batch, {a.Channels}, {crop}, {crop}] (normalized as in training), output 'features' {shape}");
    }
}
