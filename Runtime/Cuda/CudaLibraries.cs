using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Cuda;

/// <summary>
/// Finds the NVIDIA libraries on this machine and routes the Runtime assembly's <c>[LibraryImport]</c>s to them.
/// </summary>
/// <remarks>
/// The imports name logical libraries (<c>cuda</c>, <c>nvrtc</c>, <c>cublasLt</c>); the one
/// <see cref="NativeLibrary.SetDllImportResolver"/> of the Runtime assembly maps each to the first candidate file that
/// loads. The candidates are versioned sonames, newest CUDA first, because distributions ship only the versioned file
/// (Debian's <c>libnvrtc11.2</c> has <c>libnvrtc.so.11.2</c> and no <c>libnvrtc.so</c>). An environment variable
/// (<c>DINO_CUDA_PATH</c>, <c>DINO_NVRTC_PATH</c>, <c>DINO_CUBLASLT_PATH</c>) replaces a library's candidates with one
/// path. A .NET assembly can have only one resolver: any other native library of the Runtime assembly must be added
/// here rather than given a resolver of its own (Open MPI's libmpi is: <see cref="Distributed.MpiLibrary"/> probes it; OpenBLAS is
/// bound by the Benchmarks assembly).
/// Probes are cached per process, so asking "is there a GPU driver?" is cheap after the first time and never throws.
/// </remarks>
public static class CudaLibraries
{
    /// <summary>The logical name the driver imports use.</summary>
    internal const string DriverImportName = "cuda";

    /// <summary>The logical name the NVRTC imports use.</summary>
    internal const string NvrtcImportName = "nvrtc";

    /// <summary>The logical name the cuBLASLt imports use.</summary>
    internal const string CublasLtImportName = "cublasLt";

    /// <summary>The logical name the NCCL imports use.</summary>
    internal const string NcclImportName = "nccl";

    private static readonly string[] DriverCandidates = ["libcuda.so.1", "libcuda.so"];
    private static readonly string[] NvrtcCandidates = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"];
    private static readonly string[] CublasLtCandidates = ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11", "libcublasLt.so"];
    // NCCL 2 has kept its soname since 2.0; pip's nvidia-nccl-cu12 puts it under site-packages/nvidia/nccl/lib (DINO_NCCL_PATH).
    private static readonly string[] NcclCandidates = ["libnccl.so.2", "libnccl.so"];

    private static readonly Lazy<CudaLibraryProbe>[] Probes =
    [
        new(() => ProbeFromEnvironment(CudaLibrary.Driver), LazyThreadSafetyMode.ExecutionAndPublication),
        new(() => ProbeFromEnvironment(CudaLibrary.Nvrtc), LazyThreadSafetyMode.ExecutionAndPublication),
        new(() => ProbeFromEnvironment(CudaLibrary.CublasLt), LazyThreadSafetyMode.ExecutionAndPublication),
        new(() => ProbeFromEnvironment(CudaLibrary.Nccl), LazyThreadSafetyMode.ExecutionAndPublication),
    ];

    // Runs before the first import of any library: every native class's static constructor touches EnsureResolver.
    static CudaLibraries()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, Resolve);
            ResolverInstalled = true;
        }
        catch (InvalidOperationException)
        {
            // Someone else owns the Runtime assembly's resolver. The imports then fall back to the default search for
            // the logical names (libcuda.so, libnvrtc.so, ...); Require still probes the versioned names and reports.
            ResolverInstalled = false;
        }
    }

    /// <summary>Whether this class's resolver serves the Runtime assembly's imports.</summary>
    internal static bool ResolverInstalled { get; }

    /// <summary>The files tried for a library when no override is set, in the order tried.</summary>
    public static IReadOnlyList<string> DefaultCandidates(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => DriverCandidates,
        CudaLibrary.Nvrtc => NvrtcCandidates,
        CudaLibrary.CublasLt => CublasLtCandidates,
        CudaLibrary.Nccl => NcclCandidates,
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
    };

    /// <summary>The environment variable whose value, a file path, replaces a library's candidates.</summary>
    public static string OverrideVariable(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => "DINO_CUDA_PATH",
        CudaLibrary.Nvrtc => "DINO_NVRTC_PATH",
        CudaLibrary.CublasLt => "DINO_CUBLASLT_PATH",
        CudaLibrary.Nccl => "DINO_NCCL_PATH",
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
    };

    /// <summary>Looks for a library once per process (later calls return the first answer); never throws.</summary>
    public static CudaLibraryProbe Probe(CudaLibrary library) => Probes[Index(library)].Value;

    /// <summary>Whether a library loads here, and what was found or tried.</summary>
    public static bool TryProbe(CudaLibrary library, out CudaLibraryProbe probe)
    {
        probe = Probe(library);
        return probe.Found;
    }

    /// <summary>Whether a library loads here. <c>IsAvailable(CudaLibrary.Driver)</c> asks "is there an NVIDIA driver?".</summary>
    public static bool IsAvailable(CudaLibrary library) => Probe(library).Found;

    /// <summary>The handle of a library, for code about to call it.</summary>
    /// <exception cref="CudaLibraryNotFoundException">No candidate loads; the message is one line.</exception>
    public static IntPtr Require(CudaLibrary library)
    {
        var probe = Probe(library);
        if (!probe.Found) throw new CudaLibraryNotFoundException(probe);
        EnsureResolver();
        return probe.Handle;
    }

    /// <summary>Makes sure the resolver is installed (the static constructor does it); the native classes call this first.</summary>
    internal static void EnsureResolver()
    {
    }

    /// <summary>Whether a library has already been probed and found, without probing it (error-name fallbacks use this).</summary>
    internal static bool IsLoaded(CudaLibrary library)
    {
        var lazy = Probes[Index(library)];
        return lazy.IsValueCreated && lazy.Value.Found;
    }

    /// <summary>The library an import name stands for, or null for a name that is not ours.</summary>
    internal static CudaLibrary? LibraryForImportName(string importName) => importName switch
    {
        DriverImportName => CudaLibrary.Driver,
        NvrtcImportName => CudaLibrary.Nvrtc,
        CublasLtImportName => CudaLibrary.CublasLt,
        NcclImportName => CudaLibrary.Nccl,
        _ => null,
    };

    /// <summary>The candidates for a library given the environment: the override path alone when it is set.</summary>
    internal static IReadOnlyList<string> Candidates(CudaLibrary library, Func<string, string?> environment, out string? overrideVariable)
    {
        string variable = OverrideVariable(library);
        string? path = environment(variable);
        if (!string.IsNullOrWhiteSpace(path))
        {
            overrideVariable = variable;
            return [path.Trim()];
        }
        overrideVariable = null;
        return DefaultCandidates(library);
    }

    /// <summary>Tries each candidate in order with <paramref name="loader"/>; the first that loads wins.</summary>
    internal static CudaLibraryProbe Probe(CudaLibrary library, IReadOnlyList<string> candidates, string? overrideVariable, NativeLibraryLoader loader)
    {
        var tried = new List<string>(candidates.Count);
        var failures = new List<string>(candidates.Count);
        foreach (string candidate in candidates)
        {
            tried.Add(candidate);
            if (loader(candidate, out IntPtr handle, out string? error) && handle != IntPtr.Zero)
                return new CudaLibraryProbe(library, candidate, handle, tried, failures, overrideVariable);
            failures.Add($"{candidate}: {FirstLine(error) ?? "did not load"}");
        }
        return new CudaLibraryProbe(library, null, IntPtr.Zero, tried, failures, overrideVariable);
    }

    /// <summary>The one-line message for a library that did not load.</summary>
    internal static string NotFoundMessage(CudaLibrary library, IReadOnlyList<string> tried, string? overrideVariable)
    {
        string what = string.Join(", ", tried);
        if (overrideVariable is not null) what += $" from {overrideVariable}";
        return library switch
        {
            CudaLibrary.Driver => $"CUDA driver not found (tried {what}): no NVIDIA driver on this machine",
            CudaLibrary.Nvrtc => $"NVRTC not found (tried {what}): the CUDA runtime compiler builds the model's kernels; install NVRTC (CUDA 11.2 or later) or set DINO_NVRTC_PATH",
            CudaLibrary.CublasLt => $"cuBLASLt not found (tried {what}): the GPU GEMMs run on it; install libcublasLt (CUDA 11 or later) or set DINO_CUBLASLT_PATH",
            CudaLibrary.Nccl => $"NCCL not found (tried {what}): GPU ranks sum their gradients with it; pip install nvidia-nccl-cu12 and set DINO_NCCL_PATH to its libnccl.so.2, or install libnccl2",
            _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
        };
    }

    /// <summary>The real loader: <see cref="NativeLibrary.Load(string)"/>, with the loader's reason kept on failure.</summary>
    internal static bool LoadWithNativeLibrary(string name, out IntPtr handle, out string? error)
    {
        try
        {
            handle = NativeLibrary.Load(name);
            error = null;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            handle = IntPtr.Zero;
            error = e.Message;
            return false;
        }
    }

    private static CudaLibraryProbe ProbeFromEnvironment(CudaLibrary library)
    {
        var candidates = Candidates(library, Environment.GetEnvironmentVariable, out string? overrideVariable);
        return Probe(library, candidates, overrideVariable, LoadWithNativeLibrary);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        // Zero lets the runtime's default search go on: names that are not ours, and ours when nothing was found (the
        // call then throws DllNotFoundException; the managed wrappers call Require first for the one-line message).
        // MPI is not a CUDA library, but an assembly has one resolver: Distributed's probe answers its import name.
        if (libraryName == Distributed.MpiLibrary.ImportName) return Distributed.MpiLibrary.Probe().Handle;
        var library = LibraryForImportName(libraryName);
        return library is { } known ? Probe(known).Handle : IntPtr.Zero;
    }

    private static int Index(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => 0,
        CudaLibrary.Nvrtc => 1,
        CudaLibrary.CublasLt => 2,
        CudaLibrary.Nccl => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, null),
    };

    private static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        int end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
