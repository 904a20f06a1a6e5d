using System;
using System.Linq;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>
/// A naive float64 weighted k-NN written straight from DINO's knn_classifier, with the tie rules KnnClassifier
/// documents: every similarity, a full sort, one vote per neighbour.
/// </summary>
internal static class KnnReference
{
    public sealed record Outcome(int[] Predictions, int Top1Correct, int Top5Correct);

    public static Outcome Run(float[] train, int[] trainLabels, float[] test, int[] testLabels, int classes, int k, double temperature)
    {
        int n = trainLabels.Length, m = testLabels.Length, d = train.Length / n;
        double[][] trainRows = Normalized(train, n, d), testRows = Normalized(test, m, d);
        var predictions = new int[m];
        int top1 = 0, top5 = 0;
        for (int i = 0; i < m; i++)
        {
            var neighbours = Enumerable.Range(0, n)
                .Select(j => (Index: j, Similarity: trainRows[j].Zip(testRows[i], (a, b) => a * b).Sum()))
                .OrderByDescending(x => x.Similarity).ThenBy(x => x.Index)
                .Take(k);
            var scores = new double[classes];
            foreach (var (index, similarity) in neighbours) scores[trainLabels[index]] += Math.Exp(similarity / temperature);
            var ranking = Enumerable.Range(0, classes).OrderByDescending(c => scores[c]).ThenBy(c => c).ToArray();
            predictions[i] = ranking[0];
            if (ranking[0] == testLabels[i]) top1++;
            if (scores[testLabels[i]] > 0 && Array.IndexOf(ranking, testLabels[i]) < 5) top5++;
        }
        return new Outcome(predictions, top1, top5);
    }

    private static double[][] Normalized(float[] values, int rows, int d) => Enumerable.Range(0, rows).Select(r =>
    {
        var row = values.Skip(r * d).Take(d).Select(v => (double)v).ToArray();
        double norm = Math.Max(Math.Sqrt(row.Sum(v => v * v)), 1e-12);
        return row.Select(v => v / norm).ToArray();
    }).ToArray();
}
