using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using DinoCompiled.Evaluation;
using DinoCompiled.Tests.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Evaluation;

public sealed class LinearProbeTests
{
    [Fact]
    public void TheGradientMatchesFiniteDifferencesOfTheLoss()
    {
        const int dim = 7, classes = 4, n = 9;
        var random = new Random(2);
        var x = Enumerable.Range(0, n * dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        var w = Enumerable.Range(0, classes * dim).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, classes).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var rows = Enumerable.Range(0, n).ToArray();
        var g = new float[w.Length + classes];
        LinearProbe.Accumulate(x, labels, dim, classes, w, b, rows, rows, 0, n, g);

        double Loss(double[] theta)
        {
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                var logits = Enumerable.Range(0, classes).Select(c => theta[classes * dim + c] + Enumerable.Range(0, dim).Sum(j => theta[c * dim + j] * x[i * dim + j])).ToArray();
                double max = logits.Max();
                total += Math.Log(logits.Sum(l => Math.Exp(l - max))) + max - logits[labels[i]];
            }
            return total;
        }
        var theta = w.Select(v => (double)v).Concat(b.Select(v => (double)v)).ToArray();
        for (int i = 0; i < theta.Length; i++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[i] += 1e-5;
            minus[i] -= 1e-5;
            double numeric = (Loss(plus) - Loss(minus)) / 2e-5;
            Assert.True(Math.Abs(numeric - g[i]) <= 1e-4 * Math.Max(1, Math.Abs(numeric)), $"parameter {i}: analytic {g[i]}, numeric {numeric}");
        }
    }

    [Fact]
    public void SeparableClassesAreLearnedCompletelyAndTheSweepIsReported()
    {
        var (train, trainLabels, test, testLabels) = Clusters(seed: 1, dim: 32, classes: 10, perClass: 60, spread: 0.3);
        var options = new LinearProbeOptions { Epochs = 20, BatchSize = 64, LearningRates = [0.01, 0.1, 1.0] };
        var (classifier, report) = LinearProbe.Train(train, trainLabels, 32, 10, options);
        Assert.Equal(new[] { 0.01, 0.1, 1.0 }, report.Sweep.Select(s => s.LearningRate));
        Assert.Contains(report.ChosenLearningRate, options.LearningRates);
        Assert.Equal(20, report.EpochLosses.Length);
        Assert.True(report.EpochLosses[^1] < report.EpochLosses[0]);
        var result = classifier.Evaluate(test, testLabels);
        Assert.True(result.Top1 >= 0.99, $"top-1 {result.Top1:P1} on separable clusters");
        Assert.Equal(1.0, result.Top5);
    }

    [Fact]
    public void OnNoisyClassesItMatchesAFloat64FullBatchLogisticRegression()
    {
        var (train, trainLabels, test, testLabels) = Clusters(seed: 4, dim: 16, classes: 5, perClass: 200, spread: 1.6);
        var (classifier, _) = LinearProbe.Train(train, trainLabels, 16, 5, new LinearProbeOptions { Epochs = 60, BatchSize = 128 });
        double probe = classifier.Evaluate(test, testLabels).Top1;
        double reference = ReferenceLogisticRegression(train, trainLabels, test, testLabels, 16, 5);
        Assert.True(reference > 0.4 && reference < 0.97, $"the problem should be neither trivial nor hopeless: reference {reference:P1}");
        Assert.True(Math.Abs(probe - reference) <= 0.02, $"probe {probe:P2}, float64 full-batch reference {reference:P2}");
    }

    [Fact]
    public void TwoRunsAreBitwiseEqualAndTheSavedClassifierPredictsTheSame()
    {
        var (train, trainLabels, test, testLabels) = Clusters(seed: 9, dim: 12, classes: 6, perClass: 40, spread: 1.0);
        var options = new LinearProbeOptions { Epochs = 5, BatchSize = 32, Optimizer = LinearProbeOptimizer.AdamW, WeightDecay = 1e-3 };
        var (a, _) = LinearProbe.Train(train, trainLabels, 12, 6, options);
        var (b, _) = LinearProbe.Train(train, trainLabels, 12, 6, options);
        Assert.True(a.Weight.SequenceEqual(b.Weight) && a.Bias.SequenceEqual(b.Bias), "two runs with one seed differ");

        using var directory = new TemporaryDirectory();
        string path = System.IO.Path.Combine(directory.Path, "probe.safetensors");
        a.Save(path, new Dictionary<string, string> { ["features"] = "test" });
        var loaded = LinearClassifier.Load(path);
        Assert.Equal((6, 12), (loaded.Classes, loaded.Dimension));
        Assert.True(loaded.Weight.SequenceEqual(a.Weight) && loaded.Bias.SequenceEqual(a.Bias));
        Assert.Equal(a.Evaluate(test, testLabels).Predictions.ToArray(), loaded.Evaluate(test, testLabels).Predictions.ToArray());
    }

    [Fact]
    public void BadInputIsAOneLineError()
    {
        var options = new LinearProbeOptions();
        Assert.Contains("label 3 (row 1) is outside the 3 classes", Assert.Throws<ArgumentException>(() => LinearProbe.Train(new float[4], [0, 3], 2, 3, options)).Message);
        Assert.Contains("2 labels but 5 floats", Assert.Throws<ArgumentException>(() => LinearProbe.Train(new float[5], [0, 1], 2, 3, options)).Message);
        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => LinearProbe.Train([], [], 2, 3, options)).Message);
        Assert.Contains("at least 2 classes", Assert.Throws<ArgumentException>(() => LinearProbe.Train(new float[2], [0], 2, 1, options)).Message);
    }

    private static (float[] Train, int[] TrainLabels, float[] Test, int[] TestLabels) Clusters(int seed, int dim, int classes, int perClass, double spread)
    {
        var random = new Random(seed);
        var means = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, dim).Select(_ => Normal(random)).ToArray()).ToArray();
        (float[], int[]) Set(int count)
        {
            var x = new float[classes * count * dim];
            var y = new int[classes * count];
            for (int i = 0; i < y.Length; i++)
            {
                y[i] = i % classes;
                for (int j = 0; j < dim; j++) x[i * dim + j] = (float)(3 + means[y[i]][j] + spread * Normal(random));
            }
            return (x, y);
        }
        var (train, trainLabels) = Set(perClass);
        var (test, testLabels) = Set(perClass / 2);
        return (train, trainLabels, test, testLabels);
    }

    // Full-batch gradient descent on the mean cross-entropy, in double, on standardized features, to convergence.
    private static double ReferenceLogisticRegression(float[] train, int[] trainLabels, float[] test, int[] testLabels, int dim, int classes)
    {
        int n = trainLabels.Length;
        var mean = Enumerable.Range(0, dim).Select(j => Enumerable.Range(0, n).Average(i => (double)train[i * dim + j])).ToArray();
        var std = Enumerable.Range(0, dim).Select(j => Math.Sqrt(Enumerable.Range(0, n).Average(i => Math.Pow(train[i * dim + j] - mean[j], 2)))).ToArray();
        double X(float[] set, int i, int j) => (set[i * dim + j] - mean[j]) / std[j];
        var w = new double[classes, dim + 1];
        for (int iteration = 0; iteration < 3000; iteration++)
        {
            var g = new double[classes, dim + 1];
            for (int i = 0; i < n; i++)
            {
                var logits = Enumerable.Range(0, classes).Select(c => w[c, dim] + Enumerable.Range(0, dim).Sum(j => w[c, j] * X(train, i, j))).ToArray();
                double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
                for (int c = 0; c < classes; c++)
                {
                    double coefficient = Math.Exp(logits[c] - max) / sum - (c == trainLabels[i] ? 1 : 0);
                    for (int j = 0; j < dim; j++) g[c, j] += coefficient * X(train, i, j) / n;
                    g[c, dim] += coefficient / n;
                }
            }
            for (int c = 0; c < classes; c++)
                for (int j = 0; j <= dim; j++) w[c, j] -= 0.5 * g[c, j];
        }
        int correct = 0;
        for (int i = 0; i < testLabels.Length; i++)
        {
            var logits = Enumerable.Range(0, classes).Select(c => w[c, dim] + Enumerable.Range(0, dim).Sum(j => w[c, j] * X(test, i, j))).ToArray();
            if (Array.IndexOf(logits, logits.Max()) == testLabels[i]) correct++;
        }
        return (double)correct / testLabels.Length;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
