using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using DinoCompiled.Cuda.Interop;

namespace DinoCompiled.Cuda;

/// <summary>
/// Compiles CUDA C with NVRTC, in process, to CUBIN (<c>--gpu-architecture=sm_90</c>) or PTX
/// (<c>--gpu-architecture=compute_90</c>). Needs only libnvrtc, no GPU and no driver, so the generated kernels can be
/// compiled and their ptxas reports checked on any machine with NVRTC.
/// </summary>
public static class NvrtcCompiler
{
    /// <summary>The default program name: what NVRTC's log calls the source.</summary>
    public const string DefaultProgramName = "dino.cu";

    /// <summary>The version of the NVRTC found (its CUDA version, e.g. 11.8).</summary>
    /// <exception cref="CudaLibraryNotFoundException">No libnvrtc on this machine.</exception>
    public static unsafe Version Version
    {
        get
        {
            CudaLibraries.Require(CudaLibrary.Nvrtc);
            int major, minor;
            CudaCheck.Nvrtc(NvrtcNative.nvrtcVersion(&major, &minor), "nvrtcVersion");
            return new Version(major, minor);
        }
    }

    /// <summary>Compiles one self-contained source (no headers) with the given options.</summary>
    /// <param name="source">The CUDA C.</param>
    /// <param name="options">NVRTC options, e.g. <c>--gpu-architecture=sm_90</c>, <c>--ptxas-options=-v</c>, <c>-lineinfo</c>, <c>--std=c++17</c>.</param>
    /// <param name="programName">What the log's messages call the source.</param>
    /// <exception cref="NvrtcCompileException">The source or an option was rejected; the message has the first error line, <see cref="NvrtcCompileException.Log"/> the whole log.</exception>
    /// <exception cref="CudaException">Another NVRTC call failed.</exception>
    /// <exception cref="CudaLibraryNotFoundException">No libnvrtc on this machine.</exception>
    public static NvrtcCompilation Compile(string source, IReadOnlyList<string> options, string programName = DefaultProgramName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(programName);
        var version = Version;

        nint program = Create(source, programName);
        try
        {
            int status = CompileProgram(program, options);
            string log = ReadLog(program);
            if (status != 0)
                throw new NvrtcCompileException("nvrtcCompileProgram", status, CudaCheck.Name(CudaLibrary.Nvrtc, status), log);
            byte[] cubin = ReadOutput(program, cubin: true);
            byte[] ptx = ReadOutput(program, cubin: false);
            return new NvrtcCompilation(programName, [.. options], cubin, ptx, log, version);
        }
        finally
        {
            Destroy(program);
        }
    }

    /// <summary>Compiles a model's generated module (its <see cref="CudaModuleSource.ModelName"/> names the program).</summary>
    public static NvrtcCompilation Compile(CudaModuleSource module, IReadOnlyList<string> options)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Compile(module.Source, options, module.ModelName + ".cu");
    }

    private static unsafe nint Create(string source, string programName)
    {
        byte[] sourceBytes = NulTerminated(source);
        byte[] nameBytes = NulTerminated(programName);
        nint program;
        fixed (byte* s = sourceBytes)
        fixed (byte* n = nameBytes)
        {
            CudaCheck.Nvrtc(NvrtcNative.nvrtcCreateProgram(&program, s, n, 0, null, null), "nvrtcCreateProgram");
        }
        return program;
    }

    private static unsafe int CompileProgram(nint program, IReadOnlyList<string> options)
    {
        // NVRTC reads the option strings during the call only, so they live in one pinned block for its duration.
        var handles = new GCHandle[options.Count];
        var pointers = new nint[options.Count];
        try
        {
            for (int i = 0; i < options.Count; i++)
            {
                handles[i] = GCHandle.Alloc(NulTerminated(options[i] ?? throw new ArgumentException($"Option {i} is null.", nameof(options))), GCHandleType.Pinned);
                pointers[i] = handles[i].AddrOfPinnedObject();
            }
            fixed (nint* p = pointers)
            {
                return NvrtcNative.nvrtcCompileProgram(program, options.Count, (byte**)p);
            }
        }
        finally
        {
            foreach (var handle in handles)
                if (handle.IsAllocated) handle.Free();
        }
    }

    private static unsafe string ReadLog(nint program)
    {
        nuint size;
        CudaCheck.Nvrtc(NvrtcNative.nvrtcGetProgramLogSize(program, &size), "nvrtcGetProgramLogSize");
        if (size <= 1) return string.Empty;
        var bytes = new byte[checked((int)size)];
        fixed (byte* b = bytes)
        {
            CudaCheck.Nvrtc(NvrtcNative.nvrtcGetProgramLog(program, b), "nvrtcGetProgramLog");
        }
        return Encoding.UTF8.GetString(bytes.AsSpan().TrimEnd((byte)0));
    }

    private static unsafe byte[] ReadOutput(nint program, bool cubin)
    {
        nuint size;
        if (cubin) CudaCheck.Nvrtc(NvrtcNative.nvrtcGetCUBINSize(program, &size), "nvrtcGetCUBINSize");
        else CudaCheck.Nvrtc(NvrtcNative.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize");
        // A virtual architecture has no CUBIN (size 0); an empty PTX is the lone terminating NUL.
        if (size == 0) return [];
        var bytes = new byte[checked((int)size)];
        fixed (byte* b = bytes)
        {
            if (cubin) CudaCheck.Nvrtc(NvrtcNative.nvrtcGetCUBIN(program, b), "nvrtcGetCUBIN");
            else CudaCheck.Nvrtc(NvrtcNative.nvrtcGetPTX(program, b), "nvrtcGetPTX");
        }
        return bytes;
    }

    private static unsafe void Destroy(nint program)
    {
        // Failing to free a program leaks host memory only; it must not hide the compile error being thrown.
        _ = NvrtcNative.nvrtcDestroyProgram(&program);
    }

    private static byte[] NulTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
