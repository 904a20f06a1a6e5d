using System.Collections.Immutable;

namespace DinoCompiled.Evaluation;

/// <summary>The weighted k-NN accuracy for one k.</summary>
/// <param name="K">The k asked for.</param>
/// <param name="Neighbours">The neighbours that voted: k, or the number of training samples when there are fewer.</param>
/// <param name="Total">Test samples.</param>
/// <param name="Top1Correct">Test samples whose predicted class is their label.</param>
/// <param name="Top5Correct">Test samples whose label is among the 5 best-scored classes; null when there are 5 classes or fewer.</param>
/// <param name="Predictions">The predicted class of every test sample, in order.</param>
public sealed record KnnResult(int K, int Neighbours, int Total, int Top1Correct, int? Top5Correct, ImmutableArray<int> Predictions)
{
    /// <summary>Top-1 accuracy as a fraction (0.673 for 67.3 %).</summary>
    public double Top1 => (double)Top1Correct / Total;

    /// <summary>Top-5 accuracy as a fraction; null when there are 5 classes or fewer.</summary>
    public double? Top5 => Top5Correct is int correct ? (double)correct / Total : null;
}
