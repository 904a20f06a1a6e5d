using System;
using System.Linq;
using DinoCompiled.Evaluation;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>The weighted k-NN matches a naive float64 implementation of DINO's knn_classifier, and a case worked by hand.</summary>
public sealed class KnnClassifierTests
{
    private readonly ITestOutputHelper _output;

    public KnnClassifierTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 20)]
    [InlineData(10, 20)]
    [InlineData(10, 100)]
    public void ClusteredDataMatchesTheFloat64Reference(int classes, int k)
    {
        var data = new ClusteredFeatures(seed: classes * 100 + k, classes, trainPerClass: 600 / classes * 2, testPerClass: 300 / classes, dimension: 24, spread: 1.6);

        var result = KnnClassifier.Evaluate(data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, classes, k);
        var reference = KnnReference.Run(data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, classes, k, 0.07);

        _output.WriteLine($"{classes} classes, k {k}: top-1 {result.Top1:P1}, top-5 {result.Top5:P1}");
        Assert.InRange(result.Top1, 0.3, 0.99); // overlapping clusters: the test is not trivially all right or all wrong
        Assert.Equal(reference.Predictions, result.Predictions);
        Assert.Equal(reference.Top1Correct, result.Top1Correct);
        Assert.Equal(classes > 5 ? reference.Top5Correct : null, result.Top5Correct);
        Assert.Equal(data.TestLabels.Length, result.Total);
        Assert.Equal(k, result.Neighbours);
    }

    // ImmutableArray is IEquatable by reference, so the expected side is copied to an array: xunit then compares elements.
    [Fact]
    public void SeveralKInOnePassEqualEachKAlone()
    {
        var data = new ClusteredFeatures(seed: 7, classes: 10, trainPerClass: 60, testPerClass: 20, dimension: 16, spread: 1.4);
        int[] ks = { 200, 10, 100, 20 };

        var together = KnnClassifier.EvaluateMany(data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, 10, ks);

        Assert.Equal(ks, together.Select(r => r.K));
        foreach (var r in together)
        {
            var alone = KnnClassifier.Evaluate(data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, 10, r.K);
            Assert.Equal(alone.Predictions.ToArray(), r.Predictions);
            Assert.Equal(alone.Top1Correct, r.Top1Correct);
            Assert.Equal(alone.Top5Correct, r.Top5Correct);
        }
    }

    [Fact]
    public void TheChunkSizeDoesNotChangeTheResult()
    {
        var data = new ClusteredFeatures(seed: 8, classes: 6, trainPerClass: 50, testPerClass: 30, dimension: 12, spread: 1.5);
        var results = new[] { 1, 7, 256 }.Select(chunk => KnnClassifier.EvaluateMany(
            data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, 6, KnnClassifier.ReferenceKs.AsSpan(), chunkRows: chunk)).ToArray();

        for (int q = 0; q < KnnClassifier.ReferenceKs.Length; q++)
        {
            Assert.Equal(results[0][q].Predictions.ToArray(), results[1][q].Predictions);
            Assert.Equal(results[0][q].Predictions.ToArray(), results[2][q].Predictions);
            Assert.Equal(results[0][q].Top5Correct, results[2][q].Top5Correct);
        }
    }

    [Fact]
    public void AKLargerThanTheTrainSetUsesEverySample()
    {
        var data = new ClusteredFeatures(seed: 9, classes: 3, trainPerClass: 4, testPerClass: 5, dimension: 8, spread: 1.0);

        var result = KnnClassifier.Evaluate(data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, 3, k: 200);
        var reference = KnnReference.Run(data.TrainFeatures, data.TrainLabels, data.TestFeatures, data.TestLabels, 3, 12, 0.07);

        Assert.Equal(200, result.K);
        Assert.Equal(12, result.Neighbours);
        Assert.Equal(reference.Predictions, result.Predictions);
    }
}
