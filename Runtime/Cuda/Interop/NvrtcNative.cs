using System.Runtime.InteropServices;

namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// The NVRTC entry points (nvrtc.h), unchanged since CUDA 11.1 (CUBIN output). Every call but
/// <see cref="nvrtcGetErrorString"/> returns an <c>nvrtcResult</c>; pass it to <see cref="CudaCheck.Nvrtc"/>. Strings
/// are NUL-terminated UTF-8 the caller pins; the program handle is <see cref="nint"/>.
/// </summary>
internal static unsafe partial class NvrtcNative
{
    private const string Lib = CudaLibraries.NvrtcImportName;

    static NvrtcNative() => CudaLibraries.EnsureResolver();

    [LibraryImport(Lib)] public static partial int nvrtcVersion(int* major, int* minor);

    [LibraryImport(Lib)]
    public static partial int nvrtcCreateProgram(nint* program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(Lib)] public static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLogSize(nint program, nuint* size);
    [LibraryImport(Lib)] public static partial int nvrtcGetProgramLog(nint program, byte* log);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBINSize(nint program, nuint* size);
    [LibraryImport(Lib)] public static partial int nvrtcGetCUBIN(nint program, byte* cubin);
    [LibraryImport(Lib)] public static partial int nvrtcGetPTXSize(nint program, nuint* size);
    [LibraryImport(Lib)] public static partial int nvrtcGetPTX(nint program, byte* ptx);
    [LibraryImport(Lib)] public static partial int nvrtcDestroyProgram(nint* program);

    /// <summary>A static string naming the result (never freed).</summary>
    [LibraryImport(Lib)] public static partial byte* nvrtcGetErrorString(int result);
}
