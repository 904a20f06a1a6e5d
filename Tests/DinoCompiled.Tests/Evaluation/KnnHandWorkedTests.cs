using System;
using System.Linq;
using DinoCompiled.Evaluation;
using Xunit;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>Small cases worked by hand: the weighting, the tie rules and the top-5 rule that KnnClassifier documents.</summary>
public sealed class KnnHandWorkedTests
{
    // Train: (1, 0) class 0, (0, 1) class 1, (1, 1) class 1, (-1, 0) class 2.
    private static readonly float[] Train = { 1, 0, 0, 1, 1, 1, -1, 0 };
    private static readonly int[] TrainLabels = { 0, 1, 1, 2 };

    [Fact]
    public void CloseNeighboursOutvoteAMajorityAtT007()
    {
        // Test (5, 1) / sqrt(26): similarities 0.98058, 0.19612, 0.83205, -0.98058. With k = 3 the neighbours are
        // train rows 0 (class 0), 2 and 1 (class 1). At T = 0.07: class 0 scores e^14.0083 = 1.214e6, class 1
        // e^11.8864 + e^2.8017 = 1.456e5: class 0 wins, one vote against two. At T = 10 the weights are nearly equal
        // (e^0.0981 = 1.103 against e^0.0832 + e^0.0196 = 2.107) and the majority, class 1, wins.
        // Test (-1, 3) / sqrt(10): similarities -0.31623, 0.94868, 0.44721, 0.31623: rows 1, 2 (class 1) and 3 (class 2).
        float[] test = { 5, 1, -1, 3 };
        int[] labels = { 0, 1 };

        var sharp = KnnClassifier.Evaluate(Train, TrainLabels, test, labels, classes: 3, k: 3, temperature: 0.07);
        var flat = KnnClassifier.Evaluate(Train, TrainLabels, test, labels, classes: 3, k: 3, temperature: 10);

        Assert.Equal(new[] { 0, 1 }, sharp.Predictions);
        Assert.Equal(2, sharp.Top1Correct);
        Assert.Equal(1.0, sharp.Top1);
        Assert.Null(sharp.Top5);
        Assert.Equal(new[] { 1, 1 }, flat.Predictions);
        Assert.Equal(0.5, flat.Top1);
    }

    [Fact]
    public void EqualSimilaritiesPreferTheLowerTrainIndex()
    {
        // (1, 0) and (2, 0) normalize to the same vector: both have similarity 1 to the test.
        float[] train = { 1, 0, 2, 0 };
        float[] test = { 1, 0 };

        Assert.Equal(new[] { 1 }, KnnClassifier.Evaluate(train, new[] { 1, 0 }, test, new[] { 0 }, classes: 2, k: 1).Predictions);
        Assert.Equal(new[] { 0 }, KnnClassifier.Evaluate(train, new[] { 0, 1 }, test, new[] { 0 }, classes: 2, k: 1).Predictions);
    }

    [Fact]
    public void EqualScoresPreferTheLowerClass()
    {
        float[] train = { 1, 0, 1, 0 };
        float[] test = { 1, 0 };

        Assert.Equal(new[] { 1 }, KnnClassifier.Evaluate(train, new[] { 2, 1 }, test, new[] { 2 }, classes: 3, k: 2).Predictions);
    }

    [Fact]
    public void TopFiveCountsTheFiveBestScoredClassesThatGotVotes()
    {
        // Class c has one train vector at c·10 degrees. A test at 0 degrees ranks the classes 0, 1, ..., 6; one at
        // 60 degrees ranks them 6, 5, 4, ...
        float[] train = Enumerable.Range(0, 7).SelectMany(c => Direction(10 * c)).ToArray();
        int[] trainLabels = Enumerable.Range(0, 7).ToArray();
        float[] test = Direction(0).Concat(Direction(0)).Concat(Direction(60)).ToArray();
        int[] testLabels = { 4, 5, 0 };

        var results = KnnClassifier.EvaluateMany(train, trainLabels, test, testLabels, classes: 7, ks: new[] { 7, 3 });

        // k = 7, everyone votes: label 4 ranks 5th (a hit), label 5 ranks 6th, label 0 at 60 degrees ranks last.
        Assert.Equal(new[] { 0, 0, 6 }, results[0].Predictions);
        Assert.Equal(1, results[0].Top5Correct);
        Assert.Equal(1.0 / 3, results[0].Top5);
        // k = 3: none of the labels got a vote. Label 0 at 60 degrees would be 4th by class index among the
        // unvoted classes, but a class with no votes is never a hit.
        Assert.Equal(new[] { 0, 0, 6 }, results[1].Predictions);
        Assert.Equal(0, results[1].Top5Correct);
        Assert.Equal(0, results[1].Top1Correct);
    }

    [Fact]
    public void AZeroFeatureHasSimilarityZeroToEverything()
    {
        // F.normalize leaves a zero vector at zero: every similarity is 0, every weight e^0, so the nearest are the
        // first k train rows by the index rule.
        var result = KnnClassifier.Evaluate(Train, TrainLabels, new float[] { 0, 0 }, new[] { 1 }, classes: 3, k: 3);
        Assert.Equal(new[] { 1 }, result.Predictions);
    }

    [Fact]
    public void BadInputFailsWithOneLineNamingIt()
    {
        var label = Assert.Throws<ArgumentException>(() => KnnClassifier.Evaluate(Train, TrainLabels, new float[] { 1, 0, 0, 1 }, new[] { 0, 7 }, classes: 3));
        Assert.StartsWith("The test label of row 1 is 7, outside [0, 3).", label.Message);

        var nan = (float[])Train.Clone();
        nan[3] = float.NaN;
        var feature = Assert.Throws<ArgumentException>(() => KnnClassifier.Evaluate(nan, TrainLabels, new float[] { 1, 0 }, new[] { 0 }, classes: 3));
        Assert.StartsWith("The train feature of row 1 holds a non-finite value.", feature.Message);

        var shape = Assert.Throws<ArgumentException>(() => KnnClassifier.Evaluate(Train, TrainLabels, new float[] { 1, 0, 0 }, new[] { 0 }, classes: 3));
        Assert.StartsWith("The test features hold 3 floats; 1 rows of width 2 need 2.", shape.Message);
    }

    private static float[] Direction(double degrees) =>
        new[] { (float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180) };
}
