using System;

namespace DinoCompiled.Cuda.Interop;

/// <summary>
/// Loads one native library by file name or path. The seam that lets tests drive <see cref="CudaLibraries"/>' probing
/// order without the libraries; the real one wraps <see cref="System.Runtime.InteropServices.NativeLibrary"/>.
/// </summary>
/// <returns>Whether it loaded; when not, <paramref name="error"/> says why.</returns>
internal delegate bool NativeLibraryLoader(string name, out IntPtr handle, out string? error);
