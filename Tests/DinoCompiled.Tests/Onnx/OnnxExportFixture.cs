using System;
using System.IO;
using DinoCompiled.Compiled;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Onnx;
using DinoCompiled.Training;
using Microsoft.ML.OnnxRuntime;

namespace DinoCompiled.Tests.Onnx;

/// <summary>
/// What the ONNX export tests share: non-trivial weights for a model, random images, an export into a temporary folder,
/// ONNX Runtime (CPU) on the exported file, the compiled forward on the same inputs, and the error metric.
/// </summary>
internal static unsafe class OnnxExportFixture
{
    /// <summary>
    /// The model's reference initialization, then every backbone tensor perturbed by N(0, 0.05²): LayerNorm weights
    /// stop being 1 and biases stop being 0, so a swapped or dropped weight or bias changes the output.
    /// </summary>
    public static NativeBuffer Parameters(ModelDescription model, int seed)
    {
        var buffer = new NativeBuffer(model.Parameters.FlatLength);
        ParameterInitializer.Initialize(buffer.Data, model.Parameters, seed);
        var random = new Random(seed + 1000);
        var span = buffer.Span;
        foreach (var p in model.Parameters)
        {
            if (p.Part != ModelPart.Backbone) continue;
            for (long i = p.Offset; i < p.Offset + p.Count; i++)
                span[(int)i] += (float)(0.05 * ParameterInitializer.StandardNormal(random));
        }

        return buffer;
    }

    /// <summary>Images [count, C, crop, crop] of standard normal pixels (what normalized inputs look like).</summary>
    public static NativeBuffer Images(ModelDescription model, int count, int crop, int seed)
    {
        var buffer = new NativeBuffer((long)count * model.Architecture.Channels * crop * crop);
        var random = new Random(seed);
        var span = buffer.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)ParameterInitializer.StandardNormal(random);
        return buffer;
    }

    /// <summary>A fresh path in a per-test temporary directory.</summary>
    public static string Export(TemporaryDirectory folder, ModelDescription model, NativeBuffer parameters, OnnxExportOptions? options = null)
    {
        string path = folder.File(model.Name + "-" + Guid.NewGuid().ToString("N") + ".onnx");
        BackboneOnnxExporter.Write(path, model, parameters.Span, options);
        return path;
    }

    /// <summary>A CPU session on two threads: the machine is shared, and the results must not depend on it.</summary>
    public static InferenceSession Session(string path)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
        return new InferenceSession(path, options);
    }

    /// <summary>Runs <c>images</c> through the session: the <c>features</c> output's values and shape.</summary>
    public static (float[] Values, long[] Shape) Run(InferenceSession session, NativeBuffer images, int count, int channels, int crop)
    {
        var pixels = images.Span.ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, new long[] { count, channels, crop, crop });
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, new[] { "images" }, new[] { input }, new[] { "features" });
        var output = outputs[0];
        return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
    }

    /// <summary>The compiled backbone's CLS features [count, D] at <paramref name="crop"/> (one of the model's compiled crops).</summary>
    public static float[] CompiledFeatures<TModel>(NativeBuffer parameters, NativeBuffer images, int count, int crop)
        where TModel : ICompiledDinoModel
    {
        var model = TModel.Description;
        var features = new float[count * model.Architecture.EmbedDim];
        if (crop == model.Architecture.GlobalCrop)
        {
            using var extractor = new FeatureExtractor<TModel>(count);
            extractor.Run(parameters.Ptr, images.Ptr, count, features);
            return features;
        }

        ArenaPlan? plan = null;
        foreach (var candidate in model.Arenas)
            if (candidate.Crop == crop && candidate.Segment.StartsWith("Backbone", StringComparison.Ordinal)) plan = candidate;
        if (plan is null) throw new InvalidOperationException($"{model.Name} has no compiled backbone for crop {crop}.");
        using var arena = new NativeBuffer(plan.FixedFloats + plan.FloatsPerUnit * count);
        using var output = new NativeBuffer((long)count * model.Architecture.EmbedDim);
        TModel.BackboneForward(crop, new SegmentBuffers { Parameters = parameters.Ptr, Arena = arena.Ptr, Units = count, Input = images.Ptr, Output = output.Ptr });
        output.Span.CopyTo(features);
        return features;
    }

    /// <summary>
    /// max |actual − expected| / max |expected| over one output tensor. Per tensor rather than per element: the features
    /// are LayerNorm outputs of order one, and elements near zero would turn float32 rounding of the sums into huge
    /// per-element ratios; the tensor's own scale is what a user of the features compares against.
    /// </summary>
    public static double MaxRelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        if (actual.Length != expected.Length) throw new ArgumentException($"{actual.Length} values against {expected.Length}.");
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(actual[i])) return double.PositiveInfinity;
            worst = Math.Max(worst, Math.Abs((double)actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }

        return scale == 0 ? worst : worst / scale;
    }
}
