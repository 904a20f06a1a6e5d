using System;
using System.Runtime.InteropServices;

namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// Turns a status into an exception: every native call goes through one of these, e.g.
/// <c>CudaCheck.Driver(CudaDriverNative.cuMemAlloc_v2(&amp;p, bytes), "cuMemAlloc_v2")</c>.
/// </summary>
internal static class CudaCheck
{
    /// <summary>Throws unless a <c>CUresult</c> is <c>CUDA_SUCCESS</c>.</summary>
    public static void Driver(int status, string call)
    {
        if (status != 0) throw Failure(CudaLibrary.Driver, status, call);
    }

    /// <summary>Throws unless an <c>nvrtcResult</c> is <c>NVRTC_SUCCESS</c>.</summary>
    public static void Nvrtc(int status, string call)
    {
        if (status != 0) throw Failure(CudaLibrary.Nvrtc, status, call);
    }

    /// <summary>Throws unless a <c>cublasStatus_t</c> is <c>CUBLAS_STATUS_SUCCESS</c>.</summary>
    public static void Cublas(int status, string call)
    {
        if (status != 0) throw Failure(CudaLibrary.CublasLt, status, call);
    }

    /// <summary>Throws unless an <c>ncclResult_t</c> is <c>ncclSuccess</c>.</summary>
    public static void Nccl(int status, string call)
    {
        if (status != 0) throw Failure(CudaLibrary.Nccl, status, call);
    }

    /// <summary>The exception for a failed call (not thrown, so callers can add to it or throw it themselves).</summary>
    public static CudaException Failure(CudaLibrary library, int status, string call) =>
        new(library, call, status, Name(library, status));

    /// <summary>
    /// A status's name: our table first (works without the library), then, for codes newer than the table, the library's
    /// own name function when that library is already loaded; otherwise <see cref="CudaErrorNames.Unknown"/>.
    /// </summary>
    public static string Name(CudaLibrary library, int status) =>
        CudaErrorNames.Lookup(library, status) ?? NameFromLibrary(library, status) ?? CudaErrorNames.Unknown;

    private static unsafe string? NameFromLibrary(CudaLibrary library, int status)
    {
        if (!CudaLibraries.IsLoaded(library)) return null;
        try
        {
            switch (library)
            {
                case CudaLibrary.Driver:
                {
                    byte* name = null;
                    return CudaDriverNative.cuGetErrorName(status, &name) == 0 && name != null ? Marshal.PtrToStringUTF8((IntPtr)name) : null;
                }
                case CudaLibrary.Nvrtc:
                {
                    // nvrtcGetErrorString answers "NVRTC_ERROR unknown" for codes it does not know either.
                    string? name = Marshal.PtrToStringUTF8((IntPtr)NvrtcNative.nvrtcGetErrorString(status));
                    return name is null || name.Contains(' ', StringComparison.Ordinal) ? null : name;
                }
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
