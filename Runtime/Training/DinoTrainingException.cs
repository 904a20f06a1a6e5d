using System;

namespace DinoCompiled.Training;

/// <summary>
/// A training run cannot start or go on: options that do not fit the model or the data, a checkpoint of another run, a
/// run folder that cannot be written. The message is one line naming the problem; whatever was saved before stays.
/// </summary>
public sealed class DinoTrainingException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public DinoTrainingException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}
