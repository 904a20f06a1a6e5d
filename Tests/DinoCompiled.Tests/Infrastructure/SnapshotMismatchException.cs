using System;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>Thrown when output differs from its approved snapshot.</summary>
public sealed class SnapshotMismatchException : Exception
{
    public SnapshotMismatchException(string message) : base(message)
    {
    }
}
