using System;
using System.Collections.Generic;

namespace DinoCompiled.Cuda;

/// <summary>
/// A native NVIDIA library the GPU path needs could not be loaded. A <see cref="DllNotFoundException"/>, so code that
/// already handles missing native libraries handles this one too; the message is one line naming what was tried.
/// </summary>
public sealed class CudaLibraryNotFoundException : DllNotFoundException
{
    /// <summary>An exception for a failed probe.</summary>
    public CudaLibraryNotFoundException(CudaLibraryProbe probe)
        : base((probe ?? throw new ArgumentNullException(nameof(probe))).Message ?? $"{probe.Library} was found")
    {
        Library = probe.Library;
        Tried = probe.Tried;
        Failures = probe.Failures;
    }

    /// <summary>The library that is missing.</summary>
    public CudaLibrary Library { get; }

    /// <summary>The file names (or override path) tried, in order.</summary>
    public IReadOnlyList<string> Tried { get; }

    /// <summary>What the loader said for each candidate.</summary>
    public IReadOnlyList<string> Failures { get; }
}
