using System;

namespace DinoCompiled.Distributed;

/// <summary>An MPI call that returned an error, or an MPI that cannot serve the run; the message is one line naming the call.</summary>
public sealed class MpiException : Exception
{
    /// <summary>A failure with its one-line message.</summary>
    public MpiException(string message) : base(message)
    {
    }

    /// <summary>A failure with its one-line message and cause.</summary>
    public MpiException(string message, Exception inner) : base(message, inner)
    {
    }
}
