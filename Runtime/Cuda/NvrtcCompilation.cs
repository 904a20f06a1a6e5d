using System;
using System.Collections.Generic;

namespace DinoCompiled.Cuda;

/// <summary>What one NVRTC compilation produced: the CUBIN (for a real architecture), the PTX, and the log.</summary>
public sealed class NvrtcCompilation
{
    private PtxasReport? _ptxas;

    internal NvrtcCompilation(string programName, IReadOnlyList<string> options, byte[] cubin, byte[] ptx, string log, Version nvrtcVersion)
    {
        ProgramName = programName;
        Options = options;
        Cubin = cubin;
        Ptx = ptx;
        Log = log;
        NvrtcVersion = nvrtcVersion;
    }

    /// <summary>The program's name (what the log's messages call the source file).</summary>
    public string ProgramName { get; }

    /// <summary>The options passed to NVRTC.</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>
    /// The ELF CUBIN for <c>--gpu-architecture=sm_XX</c>, loadable with <c>cuModuleLoadData</c>; empty for a virtual
    /// architecture (<c>compute_XX</c>), which yields PTX only.
    /// </summary>
    public byte[] Cubin { get; }

    /// <summary>The PTX text as NVRTC returns it, including its terminating NUL (what <c>cuModuleLoadData</c> expects).</summary>
    public byte[] Ptx { get; }

    /// <summary>The PTX as a string, without the terminating NUL.</summary>
    public string PtxText => System.Text.Encoding.UTF8.GetString(Ptx.AsSpan().TrimEnd((byte)0));

    /// <summary>NVRTC's log: warnings, and ptxas' resource report when compiled with <c>--ptxas-options=-v</c>.</summary>
    public string Log { get; }

    /// <summary>The NVRTC that compiled it (its CUDA version, e.g. 11.8).</summary>
    public Version NvrtcVersion { get; }

    /// <summary>The ptxas resource report in <see cref="Log"/> (no kernels unless compiled with <c>--ptxas-options=-v</c>).</summary>
    public PtxasReport Ptxas => _ptxas ??= PtxasReport.Parse(Log);

    /// <summary>The image to load: the CUBIN when there is one, else the PTX (which the driver compiles when it loads).</summary>
    public byte[] Image => Cubin.Length > 0 ? Cubin : Ptx;
}
