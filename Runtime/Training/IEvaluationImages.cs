using System.Collections.Generic;
using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>Whole images at the global crop size, normalized, in dataset order, with their labels (for k-NN and feature export).</summary>
public interface IEvaluationImages
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Number of classes.</summary>
    int ClassCount { get; }

    /// <summary>The label of every image, in order.</summary>
    IReadOnlyList<int> Labels { get; }

    /// <summary>Batches of at most <paramref name="batchSize"/> images: the first index, the count, and the images [count, C, S, S].</summary>
    IEnumerable<(int Start, int Count, Ptr Images)> Batches(int batchSize);
}
