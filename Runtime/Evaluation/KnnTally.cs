using System;
using System.Collections.Immutable;
using System.Linq;

namespace DinoCompiled.Evaluation;

/// <summary>
/// The votes of <see cref="KnnClassifier"/>: for each test row, the sorted neighbours are added one by one (best
/// first, weights summed in double) and each k is scored when its prefix is complete, so several k cost one pass.
/// </summary>
internal sealed class KnnTally
{
    private readonly int[] _ks, _neighbours, _ascending, _top1, _top5;
    private readonly int[][] _predictions;
    private readonly double[] _scores;
    private readonly double _temperature;
    private readonly int _testCount;

    public KnnTally(ReadOnlySpan<int> ks, int trainCount, int testCount, int classes, double temperature)
    {
        _ks = ks.ToArray();
        _neighbours = _ks.Select(k => Math.Min(k, trainCount)).ToArray();
        _ascending = Enumerable.Range(0, _ks.Length).OrderBy(q => _neighbours[q]).ToArray();
        _top1 = new int[_ks.Length];
        _top5 = new int[_ks.Length];
        _predictions = _ks.Select(_ => new int[testCount]).ToArray();
        _scores = new double[classes];
        _temperature = temperature;
        _testCount = testCount;
    }

    /// <summary>Scores one test row from its neighbours, best first.</summary>
    public void Vote(int testRow, int label, ReadOnlySpan<float> similarities, ReadOnlySpan<int> trainIndices, ReadOnlySpan<int> trainLabels)
    {
        Array.Clear(_scores);
        int added = 0;
        foreach (int q in _ascending)
        {
            for (; added < _neighbours[q]; added++)
                _scores[trainLabels[trainIndices[added]]] += Math.Exp(similarities[added] / _temperature);

            int prediction = 0;
            for (int c = 1; c < _scores.Length; c++)
                if (_scores[c] > _scores[prediction]) prediction = c; // strict: a tie keeps the lower class
            _predictions[q][testRow] = prediction;
            if (prediction == label) _top1[q]++;
            if (_scores.Length > 5 && IsTopFive(label)) _top5[q]++;
        }
    }

    /// <summary>One result per k, in the order the k were given.</summary>
    public ImmutableArray<KnnResult> Results() => Enumerable.Range(0, _ks.Length)
        .Select(q => new KnnResult(_ks[q], _neighbours[q], _testCount, _top1[q], _scores.Length > 5 ? _top5[q] : null, ImmutableArray.Create(_predictions[q])))
        .ToImmutableArray();

    /// <summary>Whether fewer than 5 classes rank above the label (higher score, or equal score and lower index); unvoted labels never count.</summary>
    private bool IsTopFive(int label)
    {
        double score = _scores[label];
        if (!(score > 0)) return false;
        int above = 0;
        for (int c = 0; c < _scores.Length; c++)
            if (_scores[c] > score || (_scores[c] == score && c < label)) above++;
        return above < 5;
    }
}
