using System;
using System.Diagnostics;
using System.Linq;
using DinoCompiled.Data;
using DinoCompiled.Evaluation;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>
/// Not a check but a measurement, run on request (DINO_PROBE_BENCH=1): the linear probe's default protocol on raw
/// Fashion-MNIST pixels (784 values in [0, 1]), the baseline the issue compares features with (82.4 % for an
/// independent logistic regression).
/// </summary>
public sealed class RawPixelProbeMeasurement(ITestOutputHelper output)
{
    [MeasurementFact]
    public void RawPixelsOfFashionMnist()
    {
        const string directory = "/usr/share/datasets/fashion-mnist";
        (float[], int[]) Pixels(DatasetSplit split)
        {
            var set = FashionMnist.Open(directory, split);
            var x = new float[set.Count * 784];
            var image = new byte[784];
            for (int i = 0; i < set.Count; i++)
            {
                set.ReadImage(i, image);
                for (int j = 0; j < 784; j++) x[i * 784 + j] = image[j] / 255f;
            }
            return (x, Enumerable.Range(0, set.Count).Select(set.Label).ToArray());
        }
        var (train, trainLabels) = Pixels(DatasetSplit.Train);
        var (test, testLabels) = Pixels(DatasetSplit.Test);
        int epochs = int.Parse(Environment.GetEnvironmentVariable("DINO_PROBE_EPOCHS") ?? "100");
        var timer = Stopwatch.StartNew();
        var (classifier, report) = LinearProbe.Train(train, trainLabels, 784, 10, new LinearProbeOptions { Epochs = epochs });
        var result = classifier.Evaluate(test, testLabels);
        Assert.True(result.Top1 > 0.5, $"raw-pixel probe top-1 {result.Top1:P2}");
        output.WriteLine($"raw pixels, {epochs} epochs, lr {report.ChosenLearningRate} ({string.Join(", ", report.Sweep.Select(s => $"{s.LearningRate}: {s.ValidationTop1:P2}"))}): " +
                         $"top-1 {result.Top1:P2}, top-5 {result.Top5:P2}, {timer.Elapsed.TotalSeconds:F0} s");
    }
}
