using System;
using System.IO;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// A safetensors file is malformed, or does not hold what was asked of it (a tensor of another dtype).
/// The message starts with the file's path: <c>run/checkpoint.safetensors: header length 123456789 exceeds the file size 4096</c>.
/// An <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so code that handles a failed read handles this too.
/// </summary>
public sealed class SafetensorsFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public SafetensorsFormatException(string filePath, string problem, Exception? innerException = null)
        : base(filePath + ": " + problem, innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
