namespace DinoCompiled.Data;

/// <summary>Which half of a dataset that ships as a training and a test part (the IDX files' <c>train-</c>/<c>t10k-</c>).</summary>
public enum DatasetSplit
{
    /// <summary>The training images (<c>train-*</c>).</summary>
    Train,

    /// <summary>The test images (<c>t10k-*</c>).</summary>
    Test,
}
