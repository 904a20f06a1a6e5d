using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using DinoCompiled.Checkpoints;

namespace DinoCompiled.Evaluation;

/// <summary>
/// A linear classifier on raw features: logits = W x + b, with W [classes, dim] and b [classes] as torch.nn.Linear
/// stores them (safetensors keys <c>weight</c> and <c>bias</c>).
/// </summary>
public sealed class LinearClassifier
{
    /// <summary>The classifier's weights and bias (taken, not copied).</summary>
    public LinearClassifier(float[] weight, float[] bias, int dim)
    {
        if (dim < 1 || bias.Length < 1 || weight.Length != bias.Length * dim)
            throw new ArgumentException($"A weight of {weight.Length} floats is not {bias.Length} classes of {dim} features.", nameof(weight));
        (Weight, Bias, Dimension) = (weight, bias, dim);
    }

    /// <summary>W [classes, dim], row-major.</summary>
    public float[] Weight { get; }

    /// <summary>b [classes].</summary>
    public float[] Bias { get; }

    /// <summary>Feature width.</summary>
    public int Dimension { get; }

    /// <summary>Classes.</summary>
    public int Classes => Bias.Length;

    /// <summary>The logits of one feature row into <paramref name="logits"/>.</summary>
    public void Logits(ReadOnlySpan<float> features, Span<float> logits)
    {
        for (int c = 0; c < Classes; c++) logits[c] = Bias[c] + Dot(Weight.AsSpan(c * Dimension, Dimension), features);
    }

    /// <summary>Top-1 and top-5 (when there are more than 5 classes) accuracy on labelled features [n, dim].</summary>
    public KnnResult Evaluate(ReadOnlySpan<float> features, int[] labels)
    {
        LinearProbe.CheckSet(features, labels, Dimension, Classes, "test");
        int n = labels.Length, top1 = 0, top5 = 0;
        var logits = new float[Classes];
        var predictions = new int[n];
        for (int i = 0; i < n; i++)
        {
            Logits(features.Slice(i * Dimension, Dimension), logits);
            int best = 0, above = 0;
            for (int c = 1; c < Classes; c++) if (logits[c] > logits[best]) best = c;
            float own = logits[labels[i]];
            // Ties rank the lower class first, as a stable sort does.
            for (int c = 0; c < Classes; c++) if (logits[c] > own || (logits[c] == own && c < labels[i])) above++;
            predictions[i] = best;
            if (best == labels[i]) top1++;
            if (above < 5) top5++;
        }
        return new KnnResult(0, 0, n, top1, Classes > 5 ? top5 : null, [.. predictions]);
    }

    /// <summary>Writes the classifier atomically with <paramref name="metadata"/>.</summary>
    public void Save(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var writer = new SafetensorsWriter().AddFloat32("weight", Weight, Classes, Dimension).AddFloat32("bias", Bias, Classes);
        foreach (var (key, value) in metadata) writer.SetMetadata(key, value);
        writer.Write(path);
    }

    /// <summary>Reads a classifier written by <see cref="Save"/> (or any torch.nn.Linear state dict in safetensors).</summary>
    /// <exception cref="CheckpointException">The file lacks <c>weight</c> or <c>bias</c>, or their shapes do not agree.</exception>
    public static LinearClassifier Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        foreach (string key in new[] { "weight", "bias" })
            if (!file.Contains(key)) throw new CheckpointException(path, $"no tensor '{key}'; a linear classifier has 'weight' [classes, dim] and 'bias' [classes]", key);
        var w = file.TensorInfo("weight").Shape;
        var b = file.TensorInfo("bias").Shape;
        if (w.Length != 2 || b.Length != 1 || w[0] != b[0])
            throw new CheckpointException(path, $"'weight' [{string.Join(", ", w)}] and 'bias' [{string.Join(", ", b)}] are not a linear classifier's [classes, dim] and [classes]");
        return new LinearClassifier(file.ReadFloat32("weight"), file.ReadFloat32("bias"), w[1]);
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            sum += new Vector<float>(a.Slice(i)) * new Vector<float>(b.Slice(i));
        float s = Vector.Sum(sum);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
