using System;
using System.IO;

namespace DinoCompiled.Data;

/// <summary>
/// A data file or folder is missing, malformed, or does not hold what a dataset needs. The message is one line that
/// starts with the path: <c>train-images-idx3-ubyte.gz: truncated: header says 60000 images of 28x28 (47040016 bytes)
/// but the file decompresses to 1000016 bytes</c>, so a command line can print it as it is, without a stack trace.
/// An <see cref="IOException"/>, so code that handles a failed read handles this too.
/// </summary>
public sealed class DatasetException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public DatasetException(string path, string problem, Exception? innerException = null)
        : base(path + ": " + problem, innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file or folder, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
