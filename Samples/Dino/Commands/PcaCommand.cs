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
/// <c>dino pca --checkpoint C --images DIR|--image F [--threshold 0] [--no-mask] --out pca.png</c>: the first three
/// principal components of the teacher's patch features (last block, through the final norm) as RGB beside each
/// image, the foreground separated by the first component as in the DINOv2 figures (layout: <see cref="PatchPcaSheet"/>).
/// </summary>
public sealed class PcaCommand : IDinoModelVisitor
{
    /// <summary>At most this many images go into one picture (the PCA is fitted on all their patches together).</summary>
    public const int MaxImages = 32;

    /// <summary>The options of <c>dino pca</c>.</summary>
    public static readonly CommandSpec Spec = new("pca", valued: ["--threshold", "--mean", "--std", "--threads"], flags: ["--no-mask"],
        paths: ChosenImages.PathOptions);

    private readonly CommandOptions _args;
    private readonly TextWriter _output;

    private PcaCommand(CommandOptions args, TextWriter output) => (_args, _output) = (args, output);

    public static int Run(string[] args, TextWriter output)
    {
        var options = CommandOptions.Parse(Spec, args);
        options.Text("--out");
        CheckpointModel.Visit("pca", options, new PcaCommand(options, output));
        return DinoCli.Success;
    }

    public void Visit<TModel>() where TModel : ICompiledDinoModel
    {
        var a = TModel.Description.Architecture;
        CpuParallel.ThreadCount = _args.Int("--threads", Environment.ProcessorCount, minimum: 1);
        double threshold = 0;
        if (_args.Has("--threshold") && (!double.TryParse(_args.Text("--threshold"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out threshold) || !double.IsFinite(threshold)))
            throw new CliException($"pca: --threshold takes a number (standard deviations of the first component), not '{_args.Text("--threshold")}'");
        using var teacher = CheckpointModel.LoadTeacher<TModel>(_args.Text("--checkpoint"));
        var images = ChosenImages.Open("pca", _args, a.Channels, a.GlobalCrop, MaxImages);
        using var dense = new DenseFeatureExtractor<TModel>(16);
        var sheet = new PatchPcaSheet(a.Channels, a.GlobalCrop, a.Patch, a.EmbedDim) { ForegroundThreshold = threshold, SeparateForeground = !_args.Has("--no-mask") };
        int t = dense.Tokens, d = dense.Dimension;
        var tokens = new float[16L * t * d];
        ChosenImages.Forward(images, teacher.Ptr, dense, (index, row, pixels) =>
        {
            // The batch's tokens through the final norm, once per batch (its first image).
            if (row == 0) dense.NormalizedTokens(a.Depth - 1, tokens);
            sheet.Add(pixels, tokens.AsSpan((row * t + 1) * d, (t - 1) * d).ToArray(), ChosenImages.Label(images, index));
        });
        string path = _args.Text("--out");
        var canvas = sheet.Render();
        ChosenImages.Save("pca", canvas, path);
        _output.WriteLine($"{path}: {canvas.Width} x {canvas.Height} PNG, the first 3 principal components of {images.Count} image(s)' patch features as RGB" +
                          (_args.Has("--no-mask") ? "" : $"; foreground {sheet.ForegroundShare:P0} of the patches"));
    }
}
