using System;
using System.Collections.Generic;

namespace DinoCompiled.Cuda;

/// <summary>
/// What looking for one native library found: the file that loaded (with its handle) or, when none did, every name tried
/// and a one-line message that says why the library matters.
/// </summary>
public sealed class CudaLibraryProbe
{
    internal CudaLibraryProbe(CudaLibrary library, string? loadedName, IntPtr handle, IReadOnlyList<string> tried,
        IReadOnlyList<string> failures, string? overrideVariable)
    {
        Library = library;
        LoadedName = loadedName;
        Handle = handle;
        Tried = tried;
        Failures = failures;
        OverrideVariable = overrideVariable;
    }

    /// <summary>The library looked for.</summary>
    public CudaLibrary Library { get; }

    /// <summary>Whether a candidate loaded.</summary>
    public bool Found => LoadedName is not null;

    /// <summary>The candidate that loaded, or null.</summary>
    public string? LoadedName { get; }

    /// <summary>The OS handle of the loaded library (zero when not found); owned by the process, never freed.</summary>
    public IntPtr Handle { get; }

    /// <summary>The candidates tried, in order, up to and including the one that loaded.</summary>
    public IReadOnlyList<string> Tried { get; }

    /// <summary>Why each candidate that did not load failed, as the loader said it (one entry per failed candidate).</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>The environment variable whose path replaced the default candidates, or null.</summary>
    public string? OverrideVariable { get; }

    /// <summary>Null when found; otherwise one line naming the library, what was tried and why it matters.</summary>
    public string? Message => Found ? null : CudaLibraries.NotFoundMessage(Library, Tried, OverrideVariable);

    /// <inheritdoc/>
    public override string ToString() => Found ? $"{Library}: {LoadedName}" : Message!;
}
