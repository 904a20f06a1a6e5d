// DINO's weighted k-NN classifier (eval_knn.py, knn_classifier), the standard measure of a DINO backbone:
// features are L2-normalized (x / max(||x||, 1e-12), as F.normalize); every test feature takes the k train features
// of highest cosine similarity; each votes for its label with weight exp(sim / T); the class with the highest summed
// weight is the prediction. Similarities come from one GEMM per chunk of test rows, so memory stays at
// chunk × train floats however large the test set is.
//
// Ties, which the reference leaves to torch.topk and torch.sort, are broken deterministically here:
// - neighbours: higher similarity first, then the lower train index;
// - classes: higher score first, then the lower class index;
// - a class no neighbour voted for (score 0) is never a top-5 hit: with fewer than 5 voted classes the reference
//   fills its top 5 with arbitrary zero-score classes, which would make top-5 depend on the label numbering.
using System;
using System.Collections.Immutable;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cpu;

namespace DinoCompiled.Evaluation;

/// <summary>Weighted k-NN accuracy of features, as DINO reports it.</summary>
public static unsafe class KnnClassifier
{
    /// <summary>The k DINO reports by default.</summary>
    public const int DefaultK = 20;

    /// <summary>The vote temperature T: weights are exp(similarity / T).</summary>
    public const double DefaultTemperature = 0.07;

    /// <summary>Test rows per similarity GEMM.</summary>
    public const int DefaultChunkRows = 256;

    /// <summary>The k values DINO's evaluation script reports together.</summary>
    public static ImmutableArray<int> ReferenceKs { get; } = ImmutableArray.Create(10, 20, 100, 200);

    // The similarity chunk is capped at this many floats (64 MB) when the train set is large.
    private const long MaxChunkFloats = 1L << 24;

    /// <summary>
    /// The weighted k-NN accuracy for one k. Features are row-major, one row per sample (their width D is the
    /// features' length over the labels' count); labels lie in [0, <paramref name="classes"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree, a label is out of range, or a feature is not finite; the message says which.</exception>
    public static KnnResult Evaluate(ReadOnlySpan<float> trainFeatures, ReadOnlySpan<int> trainLabels, ReadOnlySpan<float> testFeatures,
        ReadOnlySpan<int> testLabels, int classes, int k = DefaultK, double temperature = DefaultTemperature) =>
        EvaluateMany(trainFeatures, trainLabels, testFeatures, testLabels, classes, [k], temperature)[0];

    /// <summary>
    /// The weighted k-NN accuracy for several k in one pass (the neighbours are found once, for the largest k), in the
    /// order of <paramref name="ks"/>. A k larger than the train set uses every train sample.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree, a label is out of range, or a feature is not finite; the message says which.</exception>
    public static ImmutableArray<KnnResult> EvaluateMany(ReadOnlySpan<float> trainFeatures, ReadOnlySpan<int> trainLabels, ReadOnlySpan<float> testFeatures,
        ReadOnlySpan<int> testLabels, int classes, ReadOnlySpan<int> ks, double temperature = DefaultTemperature, int chunkRows = DefaultChunkRows)
    {
        int n = trainLabels.Length, m = testLabels.Length;
        if (n == 0) throw new ArgumentException("The train set is empty.", nameof(trainLabels));
        if (m == 0) throw new ArgumentException("The test set is empty.", nameof(testLabels));
        if (trainFeatures.Length % n != 0 || trainFeatures.Length == 0)
            throw new ArgumentException($"{trainFeatures.Length} train feature floats do not split into {n} rows.", nameof(trainFeatures));
        int d = trainFeatures.Length / n;
        if (testFeatures.Length != (long)m * d)
            throw new ArgumentException($"The test features hold {testFeatures.Length} floats; {m} rows of width {d} need {(long)m * d}.", nameof(testFeatures));
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "There must be at least one class.");
        if (ks.IsEmpty) throw new ArgumentException("No k was given.", nameof(ks));
        foreach (int k in ks)
            if (k < 1) throw new ArgumentOutOfRangeException(nameof(ks), k, "Every k must be at least 1.");
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        if (chunkRows < 1) throw new ArgumentOutOfRangeException(nameof(chunkRows), chunkRows, "A chunk needs at least one row.");
        CheckLabels(trainLabels, classes, "train");
        CheckLabels(testLabels, classes, "test");

        int keep = Math.Min(n, Max(ks));
        int rowsPerChunk = (int)Math.Clamp(MaxChunkFloats / n, 1, Math.Min(chunkRows, m));
        var tally = new KnnTally(ks, n, m, classes, temperature);

        using var train = new NativeBuffer((long)n * d);
        using var test = new NativeBuffer((long)rowsPerChunk * d);
        using var similarities = new NativeBuffer((long)rowsPerChunk * n);
        using var bestSimilarity = new NativeBuffer((long)rowsPerChunk * keep);
        var bestIndex = new int[rowsPerChunk * keep];
        Normalize(trainFeatures, train.Data, n, d, "train", 0);

        fixed (int* indexPointer = bestIndex)
        {
            for (int start = 0; start < m; start += rowsPerChunk)
            {
                int rows = Math.Min(rowsPerChunk, m - start);
                Normalize(testFeatures.Slice(start * d, rows * d), test.Data, rows, d, "test", start);
                // sim[r, j] = <test_r, train_j>: train is stored [n, d], so it enters transposed.
                Gemm.Compute(rows, n, d, test.Data, d, false, train.Data, d, true, similarities.Data, n, 0f, GemmEpilogue.None);
                var select = new NeighbourSelection
                {
                    Similarities = similarities.Data, TrainCount = n, Keep = keep,
                    BestSimilarity = bestSimilarity.Data, BestIndex = indexPointer,
                };
                CpuParallel.For(rows, ref select);
                for (int r = 0; r < rows; r++)
                    tally.Vote(start + r, testLabels[start + r], bestSimilarity.Span.Slice(r * keep, keep), bestIndex.AsSpan(r * keep, keep), trainLabels);
            }
        }
        return tally.Results();
    }

    private static int Max(ReadOnlySpan<int> values)
    {
        int max = values[0];
        foreach (int v in values) max = Math.Max(max, v);
        return max;
    }

    private static void CheckLabels(ReadOnlySpan<int> labels, int classes, string set)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"The {set} label of row {i} is {labels[i]}, outside [0, {classes}).", set == "train" ? "trainLabels" : "testLabels");
        }
    }

    /// <summary>x / max(||x||, 1e-12) per row, as F.normalize; the norm is summed in double.</summary>
    private static void Normalize(ReadOnlySpan<float> source, float* destination, int rows, int d, string set, int firstRow)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = source.Slice(r * d, d);
            double squares = 0;
            foreach (float v in row) squares += (double)v * v;
            if (!double.IsFinite(squares))
                throw new ArgumentException($"The {set} feature of row {firstRow + r} holds a non-finite value.", set == "train" ? "trainFeatures" : "testFeatures");
            float norm = (float)Math.Max(Math.Sqrt(squares), 1e-12);
            float* output = destination + (long)r * d;
            for (int i = 0; i < d; i++) output[i] = row[i] / norm;
        }
    }

    /// <summary>
    /// Per test row: the <see cref="Keep"/> best train rows, best first (similarity descending, then train index
    /// ascending), by a bounded heap whose root is the worst kept; one pass over the row, then a heap sort.
    /// </summary>
    private struct NeighbourSelection : IParallelBody
    {
        public float* Similarities, BestSimilarity;
        public int* BestIndex;
        public int TrainCount, Keep;

        public void Invoke(int row)
        {
            float* s = Similarities + (long)row * TrainCount;
            float* heapSim = BestSimilarity + (long)row * Keep;
            int* heapIndex = BestIndex + (long)row * Keep;
            int size = 0;
            for (int j = 0; j < TrainCount; j++)
            {
                float v = s[j];
                if (size < Keep)
                {
                    heapSim[size] = v;
                    heapIndex[size] = j;
                    SiftUp(heapSim, heapIndex, size++);
                }
                else if (v > heapSim[0])
                {
                    // Equal similarity is not enough: j is higher than every kept index, so on a tie it is the worse one.
                    heapSim[0] = v;
                    heapIndex[0] = j;
                    SiftDown(heapSim, heapIndex, 0, size);
                }
            }
            // Heap sort: the worst goes to the end each time, leaving the best at 0.
            for (int end = size - 1; end > 0; end--)
            {
                Swap(heapSim, heapIndex, 0, end);
                SiftDown(heapSim, heapIndex, 0, end);
            }
        }

        private static bool Worse(float* sim, int* index, int a, int b) => sim[a] < sim[b] || (sim[a] == sim[b] && index[a] > index[b]);

        private static void SiftUp(float* sim, int* index, int i)
        {
            while (i > 0)
            {
                int parent = (i - 1) / 2;
                if (!Worse(sim, index, i, parent)) return;
                Swap(sim, index, i, parent);
                i = parent;
            }
        }

        private static void SiftDown(float* sim, int* index, int i, int size)
        {
            while (true)
            {
                int left = 2 * i + 1, right = left + 1, worst = i;
                if (left < size && Worse(sim, index, left, worst)) worst = left;
                if (right < size && Worse(sim, index, right, worst)) worst = right;
                if (worst == i) return;
                Swap(sim, index, i, worst);
                i = worst;
            }
        }

        private static void Swap(float* sim, int* index, int a, int b)
        {
            (sim[a], sim[b]) = (sim[b], sim[a]);
            (index[a], index[b]) = (index[b], index[a]);
        }
    }
}
