using System.Collections.Generic;
using DinoCompiled.Compiled;
using DinoCompiled.Data;

namespace DinoCompiled.Training;

/// <summary>Whole images of a dataset at the global crop size, normalized, in dataset order (for k-NN and feature export).</summary>
public sealed unsafe class LoaderEvaluationImages : IEvaluationImages, System.IDisposable
{
    private readonly EvaluationLoader _loader;
    private readonly int[] _labels;

    /// <summary>The images of <paramref name="dataset"/> at <paramref name="imageSize"/>, decoded by <paramref name="threads"/> threads in batches of <paramref name="batchSize"/>.</summary>
    public LoaderEvaluationImages(IImageDataset dataset, int imageSize, int batchSize, int threads)
    {
        _loader = new EvaluationLoader(dataset, imageSize, batchSize, dataset.Normalization, threads);
        _labels = new int[dataset.Count];
        for (int i = 0; i < _labels.Length; i++) _labels[i] = dataset.Label(i);
        ClassCount = dataset.ClassCount;
    }

    /// <inheritdoc/>
    public int Count => _labels.Length;

    /// <inheritdoc/>
    public int ClassCount { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>The labels, as the k-NN classifier takes them.</summary>
    public int[] LabelArray => _labels;

    /// <inheritdoc/>
    public IEnumerable<(int Start, int Count, Ptr Images)> Batches(int batchSize)
    {
        for (int i = 0; i < _loader.BatchCount; i++)
        {
            var batch = _loader.ReadBatch(i);
            yield return (batch.Start, batch.Count, ImagesOf(batch));
        }
    }

    /// <summary>Stops the loader's threads.</summary>
    public void Dispose() => _loader.Dispose();

    // Iterators cannot hold pointers, so the pointer is wrapped outside the iterator.
    private static Ptr ImagesOf(EvaluationBatch batch) => new(batch.Images);
}
