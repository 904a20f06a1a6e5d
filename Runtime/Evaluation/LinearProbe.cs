using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;

namespace DinoCompiled.Evaluation;

/// <summary>
/// Multinomial logistic regression on frozen features (the linear probe): softmax cross-entropy, mini-batches from a
/// seeded shuffle per epoch, SGD with momentum or AdamW, a cosine learning rate, the learning rate chosen on a held-out
/// share of the training set and the model then trained again on all of it. Each batch is cut into a fixed number of
/// chunks whose gradients are summed in order, so the result is bitwise the same for any thread count.
/// </summary>
public static class LinearProbe
{
    private const int Chunks = 8;
    private const double Momentum = 0.9, Beta1 = 0.9, Beta2 = 0.999, AdamEpsilon = 1e-8, InitStd = 0.01;

    /// <summary>Trains a classifier on <paramref name="features"/> [n, dim] with <paramref name="labels"/> in [0, classes).</summary>
    public static (LinearClassifier Classifier, LinearProbeReport Report) Train(ReadOnlySpan<float> features, int[] labels, int dim, int classes,
        LinearProbeOptions options, IProgress<LinearProbeProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (classes < 2) throw new ArgumentException($"A classifier needs at least 2 classes, not {classes}.", nameof(classes));
        CheckSet(features, labels, dim, classes, "training");
        if (options.Epochs < 1 || options.BatchSize < 1) throw new ArgumentException($"Epochs ({options.Epochs}) and batch ({options.BatchSize}) must be positive.", nameof(options));
        if (options.LearningRates.IsDefaultOrEmpty || System.Linq.Enumerable.Any(options.LearningRates, lr => !(lr > 0))) throw new ArgumentException("The learning rates must be positive, and at least one.", nameof(options));
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1)) throw new ArgumentException($"The validation share {options.ValidationFraction} is not in [0, 1).", nameof(options));

        int n = labels.Length;
        var (x, mean, scale) = Prepare(features, dim, options.Standardize);
        var order = Shuffled(n, options.Seed, -1);
        int held = (int)Math.Round(n * options.ValidationFraction);
        var sweep = ImmutableArray.CreateBuilder<(double, double)>();
        double chosen = options.LearningRates[0];
        if (held > 0 && options.LearningRates.Length > 1)
        {
            var validation = order.AsSpan(0, held).ToArray();
            var training = order.AsSpan(held).ToArray();
            double best = -1;
            foreach (double lr in options.LearningRates)
            {
                var (w, b, _) = Fit(x, labels, dim, classes, training, lr, options, progress, final: false, cancellation);
                double accuracy = Accuracy(x, labels, dim, classes, validation, w, b);
                sweep.Add((lr, accuracy));
                if (accuracy > best) (best, chosen) = (accuracy, lr);
            }
        }
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        var (weight, bias, losses) = Fit(x, labels, dim, classes, all, chosen, options, progress, final: true, cancellation);

        // Fold the standardization in: W (x - m) / s + b = (W / s) x + (b - W m / s).
        for (int c = 0; c < classes; c++)
        {
            double shift = 0;
            for (int j = 0; j < dim; j++)
            {
                shift += (double)weight[c * dim + j] * mean[j] / scale[j];
                weight[c * dim + j] = (float)(weight[c * dim + j] / scale[j]);
            }
            bias[c] = (float)(bias[c] - shift);
        }
        return (new LinearClassifier(weight, bias, dim), new LinearProbeReport(sweep.ToImmutable(), chosen, losses));
    }

    internal static void CheckSet(ReadOnlySpan<float> features, int[] labels, int dim, int classes, string set)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (dim < 1) throw new ArgumentException($"The feature width must be positive, not {dim}.", nameof(dim));
        if (labels.Length == 0) throw new ArgumentException($"The {set} set is empty.", nameof(labels));
        if (features.Length != (long)labels.Length * dim)
            throw new ArgumentException($"The {set} set has {labels.Length} labels but {features.Length} floats, not {labels.Length} x {dim}.", nameof(features));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes) throw new ArgumentException($"{set} label {labels[i]} (row {i}) is outside the {classes} classes.", nameof(labels));
    }

    private static (float[] X, double[] Mean, double[] Scale) Prepare(ReadOnlySpan<float> features, int dim, bool standardize)
    {
        int n = features.Length / dim;
        var mean = new double[dim];
        var scale = new double[dim];
        Array.Fill(scale, 1.0);
        var x = features.ToArray();
        if (!standardize) return (x, mean, scale);
        var square = new double[dim];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < dim; j++)
            {
                double v = x[i * dim + j];
                mean[j] += v;
                square[j] += v * v;
            }
        for (int j = 0; j < dim; j++)
        {
            mean[j] /= n;
            // A constant dimension keeps scale 1: it carries nothing, and dividing by ~0 would blow it up.
            double variance = Math.Max(square[j] / n - mean[j] * mean[j], 0);
            scale[j] = variance > 1e-12 ? Math.Sqrt(variance) : 1;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < dim; j++) x[i * dim + j] = (float)((x[i * dim + j] - mean[j]) / scale[j]);
        return (x, mean, scale);
    }

    private static (float[] W, float[] B, ImmutableArray<double> Losses) Fit(float[] x, int[] labels, int dim, int classes, int[] rows, double baseLr,
        LinearProbeOptions options, IProgress<LinearProbeProgress>? progress, bool final, CancellationToken cancellation)
    {
        var random = new Random(options.Seed * 7919 + 17);
        var w = new float[classes * dim];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(InitStd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var b = new float[classes];
        var first = new float[w.Length + classes]; // momentum, or Adam's first moment (weights then bias)
        var second = options.Optimizer == LinearProbeOptimizer.AdamW ? new float[w.Length + classes] : null;
        int batch = Math.Min(options.BatchSize, rows.Length);
        int stepsPerEpoch = (rows.Length + batch - 1) / batch, total = stepsPerEpoch * options.Epochs, warmup = stepsPerEpoch * options.WarmupEpochs;
        double peak = baseLr * batch / 256.0;
        var chunkGradients = new float[Chunks][];
        var chunkLosses = new double[Chunks];
        for (int k = 0; k < Chunks; k++) chunkGradients[k] = new float[w.Length + classes];
        var gradient = new float[w.Length + classes];
        var losses = ImmutableArray.CreateBuilder<double>(options.Epochs);
        int step = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            var order = Shuffled(rows.Length, options.Seed, epoch);
            double epochLoss = 0;
            for (int start = 0; start < rows.Length; start += batch, step++)
            {
                cancellation.ThrowIfCancellationRequested();
                int count = Math.Min(batch, rows.Length - start);
                Parallel.For(0, Chunks, k =>
                {
                    var g = chunkGradients[k];
                    Array.Clear(g);
                    int from = start + count * k / Chunks, to = start + count * (k + 1) / Chunks;
                    chunkLosses[k] = Accumulate(x, labels, dim, classes, w, b, rows, order, from, to, g);
                });
                Array.Clear(gradient);
                for (int k = 0; k < Chunks; k++)
                {
                    Add(gradient, chunkGradients[k]);
                    epochLoss += chunkLosses[k];
                }
                float inverse = 1f / count;
                for (int i = 0; i < gradient.Length; i++) gradient[i] *= inverse;
                double lr = step < warmup ? peak * (step + 1) / warmup : peak * 0.5 * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, total - warmup)));
                Update(w, b, gradient, first, second, lr, options.WeightDecay, step + 1);
            }
            losses.Add(epochLoss / rows.Length);
            progress?.Report(new LinearProbeProgress(baseLr, final, epoch + 1, options.Epochs, epochLoss / rows.Length));
        }
        return (w, b, losses.ToImmutable());
    }

    // The summed cross-entropy of rows[order[from..to)] and its gradient (softmax - one-hot) x added into g.
    internal static double Accumulate(float[] x, int[] labels, int dim, int classes, float[] w, float[] b, int[] rows, int[] order, int from, int to, float[] g)
    {
        var logits = new double[classes];
        double loss = 0;
        for (int i = from; i < to; i++)
        {
            int row = rows[order[i]];
            var features = x.AsSpan(row * dim, dim);
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                logits[c] = b[c] + LinearClassifier.Dot(w.AsSpan(c * dim, dim), features);
                max = Math.Max(max, logits[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += logits[c] = Math.Exp(logits[c] - max);
            int label = labels[row];
            loss += -Math.Log(Math.Max(logits[label] / sum, double.Epsilon));
            for (int c = 0; c < classes; c++)
            {
                float coefficient = (float)(logits[c] / sum - (c == label ? 1 : 0));
                Axpy(coefficient, features, g.AsSpan(c * dim, dim));
                g[w.Length + c] += coefficient;
            }
        }
        return loss;
    }

    private static void Update(float[] w, float[] b, float[] gradient, float[] first, float[]? second, double lr, double weightDecay, int step)
    {
        int weights = w.Length;
        if (second is null)
        {
            // PyTorch's SGD: g += wd w (weights only), v = 0.9 v + g, p -= lr v.
            for (int i = 0; i < gradient.Length; i++)
            {
                double g = gradient[i] + (i < weights ? weightDecay * w[i] : 0);
                first[i] = (float)(Momentum * first[i] + g);
                if (i < weights) w[i] -= (float)(lr * first[i]);
                else b[i - weights] -= (float)(lr * first[i]);
            }
            return;
        }
        double c1 = 1 - Math.Pow(Beta1, step), c2 = 1 - Math.Pow(Beta2, step);
        for (int i = 0; i < gradient.Length; i++)
        {
            double g = gradient[i];
            first[i] = (float)(Beta1 * first[i] + (1 - Beta1) * g);
            second[i] = (float)(Beta2 * second[i] + (1 - Beta2) * g * g);
            double update = lr * (first[i] / c1) / (Math.Sqrt(second[i] / c2) + AdamEpsilon);
            if (i < weights) w[i] = (float)(w[i] * (1 - lr * weightDecay) - update);
            else b[i - weights] -= (float)update;
        }
    }

    private static double Accuracy(float[] x, int[] labels, int dim, int classes, int[] rows, float[] w, float[] b)
    {
        int correct = 0;
        foreach (int row in rows)
        {
            int best = 0;
            float bestLogit = float.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                float logit = b[c] + LinearClassifier.Dot(w.AsSpan(c * dim, dim), x.AsSpan(row * dim, dim));
                if (logit > bestLogit) (best, bestLogit) = (c, logit);
            }
            if (best == labels[row]) correct++;
        }
        return (double)correct / rows.Length;
    }

    private static int[] Shuffled(int n, int seed, int epoch)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new Random(HashCode.Combine(seed, epoch, 0x5eed)).Shuffle(order);
        return order;
    }

    private static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        var va = new Vector<float>(a);
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(y.Slice(i)) + va * new Vector<float>(x.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    private static void Add(float[] into, float[] from)
    {
        int i = 0;
        for (; i <= into.Length - Vector<float>.Count; i += Vector<float>.Count)
            (new Vector<float>(into, i) + new Vector<float>(from, i)).CopyTo(into, i);
        for (; i < into.Length; i++) into[i] += from[i];
    }
}
