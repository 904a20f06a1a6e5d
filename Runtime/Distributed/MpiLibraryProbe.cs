using System;
using System.Collections.Generic;

namespace DinoCompiled.Distributed;

/// <summary>What looking for libmpi found: the file that loaded (and its handle), or every name tried and why each failed.</summary>
public sealed class MpiLibraryProbe
{
    internal MpiLibraryProbe(string? loadedName, IntPtr handle, IReadOnlyList<string> tried, IReadOnlyList<string> failures, string? overrideVariable)
    {
        LoadedName = loadedName;
        Handle = handle;
        Tried = tried;
        Failures = failures;
        OverrideVariable = overrideVariable;
    }

    /// <summary>Whether a candidate loaded.</summary>
    public bool Found => LoadedName is not null;

    /// <summary>The candidate that loaded, or null.</summary>
    public string? LoadedName { get; }

    /// <summary>The OS handle (zero when not found); owned by the process, never freed.</summary>
    public IntPtr Handle { get; }

    /// <summary>The candidates tried, in order.</summary>
    public IReadOnlyList<string> Tried { get; }

    /// <summary>Why each candidate that did not load failed.</summary>
    public IReadOnlyList<string> Failures { get; }

    /// <summary>The environment variable that replaced the default candidates, or null.</summary>
    public string? OverrideVariable { get; }

    /// <summary>Null when found; otherwise one line naming what was tried and what to install.</summary>
    public string? Message => Found ? null : MpiLibrary.NotFoundMessage(Tried, OverrideVariable);
}
