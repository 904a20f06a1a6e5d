// The file is named Training*.cs only because this branch may add files under Runtime/Checkpoints matching
// Training*.cs and Npy*.cs; rename it to CheckpointException.cs when convenient.
using System;
using System.IO;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// A checkpoint cannot be loaded into this model: it is missing, unreadable, malformed, or of another model or shape.
/// The message is one line that starts with the file's path and names the first mismatching key:
/// <c>run.safetensors: student.backbone.pos_embed has shape [1, 197, 384] in the file but [1, 50, 128] in fmnist-tiny</c>.
/// An <see cref="IOException"/>, as <see cref="SafetensorsFormatException"/> is, so a caller that reports failed reads reports this too.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public CheckpointException(string filePath, string problem, string? key = null, Exception? innerException = null)
        : base(filePath + ": " + problem, innerException)
    {
        FilePath = filePath;
        Problem = problem;
        Key = key;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    /// <summary>The first key that does not match, when the problem is about one tensor.</summary>
    public string? Key { get; }
}
