namespace DinoCompiled.Data;

/// <summary>What an <see cref="ImageFolderDataset"/> does with a file it cannot decode.</summary>
public enum UnreadableImagePolicy
{
    /// <summary>Stop: opening the dataset throws a <see cref="DatasetException"/> naming the first such file.</summary>
    Stop,

    /// <summary>Report the file (<see cref="ImageFolderOptions.OnUnreadableImage"/>, <see cref="ImageFolderDataset.UnreadableImages"/>) and leave it out.</summary>
    Skip,
}
