using System.Globalization;
using System.IO;
using System.Linq;
using DinoCompiled.Cuda;

namespace DinoCompiled.Cli;

/// <summary>
/// <c>dino inspect MODEL [--no-table] [--gpu h100|h200] [--batch N] [--locals L]</c>: what the generator compiled for a
/// model: architecture, parameter counts (backbone, head, trainable), forward FLOPs per compiled crop size, the CPU and
/// GPU memory plans, the parameter table; with <c>--gpu</c>, the performance model's prediction of a DINO step on it.
/// </summary>
public static class InspectCommand
{
    private const string Usage = "usage: dino inspect MODEL [--no-table] [--gpu h100|h200] [--batch N] [--locals L]";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var names = new System.Collections.Generic.List<string>();
        string? gpu = null;
        int batch = 64, locals = 10;
        bool table = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--no-table": table = false; break;
                case "--gpu": gpu = Value(args, ref i); break;
                case "--batch": batch = Positive(args, ref i, 1); break;
                case "--locals": locals = Positive(args, ref i, 0); break;
                default:
                    if (args[i].StartsWith('-')) throw new CliException($"inspect: unknown option '{args[i]}'; {Usage}");
                    names.Add(args[i]);
                    break;
            }
        }
        if (names.Count != 1) throw new CliException("inspect: name one model, e.g. 'dino inspect vit-small-16' ('dino models' lists them)");

        var model = ModelResolver.Resolve(names[0]);
        GpuSpec? spec = null;
        if (gpu is not null)
        {
            try { spec = GpuSpec.Find(gpu); }
            catch (System.ArgumentException e) { throw new CliException("inspect: --gpu: " + e.Message); }
        }
        WriteSummary(model, output);
        GpuPlanReader.TryRead(model.Name, out var plans);
        if (!plans.IsDefault) GpuInspection.WriteMemoryPlan(model, plans, output);
        else output.WriteLine("GPU plan: none (the CUDA backend does not serve this model; see its DINO2001 warning)");
        if (spec is not null)
        {
            if (plans.IsDefault) throw new CliException($"inspect: --gpu: {model.Name} has no CUDA half to price");
            GpuInspection.WritePrediction(GpuPerformanceModel.Predict(model, plans, spec, batch, locals), output);
        }
        if (table) WriteTable(model, output);
        return DinoCli.Success;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new CliException($"inspect: {args[i]} needs a value; {Usage}");
        return args[++i];
    }

    private static int Positive(string[] args, ref int i, int minimum)
    {
        string option = args[i], text = Value(args, ref i);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < minimum)
            throw new CliException($"inspect: {option} must be a whole number of at least {minimum}, not '{text}'");
        return value;
    }

    private static void WriteSummary(ModelDescription model, TextWriter o)
    {
        var a = model.Architecture;
        var first = a.Blocks[0];
        string rates = a.Depth > 1 ? $"{Fmt(a.Blocks[0].DropPath)} -> {Fmt(a.Blocks[^1].DropPath)}" : Fmt(first.DropPath);

        o.WriteLine($"{model.Name} ({model.TypeName})");
        o.WriteLine($"  backbone   ViT: {a.Channels} channel{(a.Channels == 1 ? "" : "s")}, image {a.ImageSize}, patch {a.Patch}, width {a.EmbedDim}, " +
                    $"{a.Depth} blocks x {first.Heads} heads, MLP {first.MlpHidden}, qkv bias {(first.QkvBias ? "yes" : "no")}, drop path {rates}, LayerNorm eps {Fmt(a.LayerNormEps)}");
        o.WriteLine($"  head       {a.Head.MlpText}; L2-normalize; weight-normalized Linear {a.Head.Bottleneck} -> {a.Head.OutDim}{(a.Head.NormLastLayer ? " (weight_g frozen)" : "")}");
        o.WriteLine($"  crops      global {a.GlobalCrop}, local {a.LocalCrop}");
        o.WriteLine();

        var p = model.Parameters;
        o.WriteLine("Parameters");
        o.WriteLine($"  backbone     {Units.Grouped(p.BackboneCount),14}");
        o.WriteLine($"  head         {Units.Grouped(p.HeadCount),14}");
        o.WriteLine($"  total        {Units.Grouped(p.TotalCount),14}");
        o.WriteLine($"  trainable    {Units.Grouped(p.TrainableCount),14}");
        o.WriteLine($"  flat buffer  {Units.Grouped(p.FlatLength),14} elements ({Units.Bytes(p.FlatLength * sizeof(float))} as float32, {p.Count} tensors aligned to {ParameterTable.Alignment})");
        o.WriteLine();

        o.WriteLine("Forward FLOPs per image (2 x multiply-adds of the matrix products)");
        o.WriteLine($"  {"crop",-12} {"tokens",6} {"backbone",14} {"head",14} {"total",14}");
        for (int i = 0; i < model.Flops.Length; i++)
        {
            var f = model.Flops[i];
            string crop = f.Crop + (i == 0 ? " global" : " local");
            o.WriteLine($"  {crop,-12} {f.Tokens,6} {Units.Flops(f.BackboneFlops),14} {Units.Flops(f.HeadFlops),14} {Units.Flops(f.TotalFlops),14}");
        }
        o.WriteLine();
        WriteMemoryPlan(model, o);
    }

    /// <summary>
    /// The static memory plan: each segment's arena per unit (an image of the crop group, or a head row) against the
    /// sum of all its intermediate tensors, and the peak of a DINO step at a reference batch.
    /// </summary>
    private static void WriteMemoryPlan(ModelDescription model, TextWriter o)
    {
        o.WriteLine("Memory plan (forward + backward arena, float32)");
        o.WriteLine($"  {"segment",-14} {"kernels",7} {"per unit",12} {"fixed",12} {"all tensors",12} {"reuse",6}");
        foreach (var plan in model.Arenas)
        {
            o.WriteLine($"  {plan.Segment,-14} {plan.KernelCalls,7} {Units.Bytes(plan.FloatsPerUnit * sizeof(float)),12} {Units.Bytes(plan.FixedFloats * sizeof(float)),12} " +
                        $"{Units.Bytes(plan.UnplannedFloatsPerUnit * sizeof(float)),12} {plan.Reuse,5:F2}x");
        }
        var a = model.Architecture;
        const int batch = 64, locals = 8;
        long peak = Plan(model, a.GlobalCrop).Bytes(2 * batch) + Plan(model, a.LocalCrop).Bytes(locals * batch) + Plan(model, 0).Bytes((2 + locals) * batch);
        long unplanned = (Plan(model, a.GlobalCrop).UnplannedFloatsPerUnit * 2 * batch + Plan(model, a.LocalCrop).UnplannedFloatsPerUnit * locals * batch
            + Plan(model, 0).UnplannedFloatsPerUnit * (2 + locals) * batch) * sizeof(float);
        o.WriteLine($"  a step of {batch} images with 2 global + {locals} local crops: arenas {Units.Bytes(peak)} (every intermediate in its own buffer: {Units.Bytes(unplanned)})");
    }

    private static ArenaPlan Plan(ModelDescription model, int crop) => model.Arenas.First(p => p.Crop == crop);

    private static void WriteTable(ModelDescription model, TextWriter o)
    {
        int width = model.Parameters.Max(p => p.Name.Length);
        o.WriteLine();
        o.WriteLine("Parameter table");
        o.WriteLine($"  {"name".PadRight(width)}  {"shape",-20} {"offset",12} {"count",12}  {"init",-22} decay  trainable");
        foreach (var p in model.Parameters)
            o.WriteLine($"  {p.Name.PadRight(width)}  {p.ShapeText,-20} {Units.Grouped(p.Offset),12} {Units.Grouped(p.Count),12}  {p.Init,-22} {(p.WeightDecay ? "yes" : "no"),-5}  {(p.Trainable ? "yes" : "no")}");
    }

    private static string Fmt(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
