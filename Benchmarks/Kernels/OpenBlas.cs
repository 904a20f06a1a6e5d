// The OpenBLAS entry points the GEMM comparison needs (Debian's libopenblas0-pthread).
using System.Runtime.InteropServices;

namespace DinoCompiled.Benchmarks.Kernels;

internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";

    public const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    public static partial nint GetCoreName();

    /// <summary>
    /// OpenBLAS reads OPENBLAS_CORETYPE when it is loaded. This environment exports
    /// OPENBLAS_CORETYPE=Haswell (AVX2 kernels), which would halve OpenBLAS on this AVX-512
    /// machine; unless DINO_OPENBLAS_CORETYPE names a core, the override is removed so that
    /// OpenBLAS picks its own best kernel. Must run before the first OpenBLAS call.
    /// </summary>
    public static string Load(int threads)
    {
        string? forced = System.Environment.GetEnvironmentVariable("DINO_OPENBLAS_CORETYPE");
        if (string.IsNullOrEmpty(forced)) LibC.UnsetEnv("OPENBLAS_CORETYPE");
        else LibC.SetEnv("OPENBLAS_CORETYPE", forced, 1);
        SetNumThreads(threads);
        return Marshal.PtrToStringAnsi(GetCoreName()) ?? "?";
    }
}
