using System;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>
/// Train and test features drawn from the same Gaussian clusters, one per class, spread enough that the classes
/// overlap (so accuracies are neither 0 nor 1 and the vote matters). Rows interleave the classes.
/// </summary>
internal sealed class ClusteredFeatures
{
    public ClusteredFeatures(int seed, int classes, int trainPerClass, int testPerClass, int dimension, double spread)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var centers = new double[classes, dimension];
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < dimension; i++) centers[c, i] = Normal();

        (float[], int[]) Draw(int perClass)
        {
            int rows = classes * perClass;
            var features = new float[rows * dimension];
            var labels = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                int c = r % classes;
                labels[r] = c;
                for (int i = 0; i < dimension; i++) features[r * dimension + i] = (float)(centers[c, i] + spread * Normal());
            }
            return (features, labels);
        }

        (TrainFeatures, TrainLabels) = Draw(trainPerClass);
        (TestFeatures, TestLabels) = Draw(testPerClass);
        Classes = classes;
    }

    public int Classes { get; }

    public float[] TrainFeatures { get; }

    public int[] TrainLabels { get; }

    public float[] TestFeatures { get; }

    public int[] TestLabels { get; }
}
