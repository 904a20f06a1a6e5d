using System;

namespace DinoCompiled.Cli;

/// <summary>A user error the program reports as one line (<c>dino: ...</c>) with exit code 2, never as a stack trace.</summary>
public sealed class CliException : Exception
{
    public CliException(string message) : base(message)
    {
    }
}
