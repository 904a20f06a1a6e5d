using System;
using System.Collections.Generic;
using System.IO;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;
using DinoCompiled.Data;
using DinoCompiled.Training;
using DinoCompiled.Visualization;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino attention --checkpoint C --image F|--images DIR [--threshold 0.6] [--block N] --out maps.png</c>: the
/// teacher's CLS-to-patch attention per head, and the mean, over each image, as the reference's
/// <c>visualize_attention.py</c>; with a threshold also the patches that hold that share of the attention (layout: see
/// <see cref="AttentionSheet"/>).
/// </summary>
public sealed class AttentionCommand : IDinoModelVisitor
{
    /// <summary>At most this many images go into one picture.</summary>
    public const int MaxImages = 64;

    /// <summary>The options of <c>dino attention</c>.</summary>
    public static readonly CommandSpec Spec = new("attention", valued: ["--threshold", "--block", "--mean", "--std", "--threads"], flags: [],
        paths: ChosenImages.PathOptions);

    private readonly CommandOptions _args;
    private readonly TextWriter _output;

    private AttentionCommand(CommandOptions args, TextWriter output) => (_args, _output) = (args, output);

    public static int Run(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(Spec, args);
        options.Text("--out");
        CheckpointModel.Visit("attention", options, new AttentionCommand(options, output));
        return DinoCli.Success;
    }

    public void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var a = TModel.Description.Architecture;
        CpuParallel.ThreadCount = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
        double? threshold = _args.Has("--threshold") ? _args.Double("--threshold", 0) : null;
        if (threshold is double t && !(t > 0 && t <= 1)) throw new CliException($"attention: --threshold is a share of the attention mass, above 0 and at most 1, not {t}");
        int block = _args.Int("--block", a.Depth - 1, minimum: -a.Depth);
        if (block < 0) block += a.Depth;
        if (block >= a.Depth) throw new CliException($"attention: --block takes 0 to {a.Depth - 1} (or -1 for the last), not {block}");

        using var teacher = CheckpointModel.LoadTeacher<TModel>(_args.Text("--checkpoint"));
        var images = ChosenImages.Open("attention", _args, a.Channels, a.GlobalCrop, MaxImages);
        using var dense = new DenseFeatureExtractor<TModel>(16);
        int heads = dense.Heads(block);
        var sheet = new AttentionSheet(a.Channels, a.GlobalCrop, a.Patch, heads, threshold);
        int perImage = heads * dense.Tokens * dense.Tokens;
        ChosenImages.Forward(images, teacher.Ptr, dense, (index, row, pixels) =>
            sheet.Add(pixels, ClassAttention.PerHead(dense.AttentionProbabilities(block).Slice(row * perImage, perImage), heads, dense.Tokens), ChosenImages.Label(images, index)));
        string path = _args.Text("--out");
        var canvas = sheet.Render();
        ChosenImages.Save("attention", canvas, path);
        _output.WriteLine($"{path}: {canvas.Width} x {canvas.Height} PNG, block {block}'s CLS attention of {heads} heads and their mean over {images.Count} image(s)" +
                          (threshold is double kept ? $", with the patches holding {kept:P0} of it" : ""));
    }
}
