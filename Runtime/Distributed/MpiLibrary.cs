using System;
using System.Collections.Generic;
using System.Threading;
using DinoCompiled.Cuda;
using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Distributed;

/// <summary>
/// Finds Open MPI's <c>libmpi</c> for the <c>[LibraryImport]</c>s of <see cref="Interop.MpiNative"/>. The Runtime assembly
/// has one import resolver (<see cref="CudaLibraries"/>), which hands the logical name <see cref="ImportName"/> to this
/// probe. Candidates: <c>DINO_MPI_PATH</c> alone when set, else Open MPI's versioned soname (<c>libmpi.so.40</c>, every
/// Open MPI from 3.0 to 5.x; Debian's <c>libopenmpi3</c> ships it) and the development link. Probed once per process;
/// never throws.
/// </summary>
public static class MpiLibrary
{
    /// <summary>The logical name the MPI imports use.</summary>
    internal const string ImportName = "mpi";

    /// <summary>The environment variable whose path replaces the default candidates.</summary>
    public const string OverrideVariable = "DINO_MPI_PATH";

    private static readonly string[] DefaultCandidateNames = ["libmpi.so.40", "libmpi.so"];

    private static readonly Lazy<MpiLibraryProbe> Probed = new(
        () => Probe(Candidates(Environment.GetEnvironmentVariable, out var variable), variable, CudaLibraries.LoadWithNativeLibrary),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The files tried when <see cref="OverrideVariable"/> is not set, in order.</summary>
    public static IReadOnlyList<string> DefaultCandidates => DefaultCandidateNames;

    /// <summary>What this process found (probed on first use).</summary>
    public static MpiLibraryProbe Probe() => Probed.Value;

    /// <summary>The candidates given the environment: the override path alone when it is set.</summary>
    internal static IReadOnlyList<string> Candidates(Func<string, string?> environment, out string? overrideVariable)
    {
        string? path = environment(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(path))
        {
            overrideVariable = OverrideVariable;
            return [path.Trim()];
        }
        overrideVariable = null;
        return DefaultCandidateNames;
    }

    /// <summary>Tries each candidate with <paramref name="loader"/>; the first that loads wins.</summary>
    internal static MpiLibraryProbe Probe(IReadOnlyList<string> candidates, string? overrideVariable, NativeLibraryLoader loader)
    {
        var tried = new List<string>();
        var failures = new List<string>();
        foreach (string candidate in candidates)
        {
            tried.Add(candidate);
            if (loader(candidate, out IntPtr handle, out string? error) && handle != IntPtr.Zero)
                return new MpiLibraryProbe(candidate, handle, tried, failures, overrideVariable);
            string reason = string.IsNullOrWhiteSpace(error) ? "did not load" : error.ReplaceLineEndings(" ").Trim();
            failures.Add($"{candidate}: {reason}");
        }
        return new MpiLibraryProbe(null, IntPtr.Zero, tried, failures, overrideVariable);
    }

    /// <summary>The one-line message for an MPI that did not load.</summary>
    internal static string NotFoundMessage(IReadOnlyList<string> tried, string? overrideVariable) =>
        $"Open MPI not found (tried {string.Join(", ", tried)}{(overrideVariable is null ? "" : " from " + overrideVariable)}): " +
        "training on several ranks needs Open MPI 3 or later (Debian: apt-get install openmpi-bin libopenmpi-dev), or DINO_MPI_PATH naming its libmpi";
}
