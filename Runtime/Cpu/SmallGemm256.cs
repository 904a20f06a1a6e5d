// Small dense products for attention (token counts 10..785, head sizes 32..64), where
// the big packed GEMM's setup would dominate: c = alpha a b with B's columns padded to a
// multiple of the vector width, in register tiles of 4 rows x 4 vectors (with 4 x 2, 1-row and
// 1-vector edge tiles). Sums run over p in order, so results are deterministic.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static unsafe class SmallGemm256
{
    public const int Width = 8;

    /// <summary>
    /// c[i, 0..colsPadded) = alpha sum over p &lt; inner of a[i lda + p aStep] b[p ldb + j], for i &lt; rows;
    /// colsPadded is a multiple of <see cref="Width"/>. aStep lets A be read transposed in place.
    /// </summary>
    public static void Multiply(int rows, int inner, float* a, nint lda, nint aStep, float* b, nint ldb, int colsPadded, float* c, nint ldc, float alpha)
    {
        int i = 0;
        for (; i + 4 <= rows; i += 4)
        {
            int j = 0;
            for (; j + 4 * Width <= colsPadded; j += 4 * Width) Tile4x4(inner, a + i * lda, lda, aStep, b + j, ldb, c + i * ldc + j, ldc, alpha);
            for (; j + 2 * Width <= colsPadded; j += 2 * Width) Tile4x2(inner, a + i * lda, lda, aStep, b + j, ldb, c + i * ldc + j, ldc, alpha);
            for (; j < colsPadded; j += Width) Tile4x1(inner, a + i * lda, lda, aStep, b + j, ldb, c + i * ldc + j, ldc, alpha);
        }

        for (; i < rows; i++)
        {
            int j = 0;
            for (; j + 4 * Width <= colsPadded; j += 4 * Width) Tile1x4(inner, a + i * lda, aStep, b + j, ldb, c + i * ldc + j, alpha);
            for (; j < colsPadded; j += Width) Tile1x1(inner, a + i * lda, aStep, b + j, ldb, c + i * ldc + j, alpha);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4(int inner, float* a, nint lda, nint aStep, float* b, nint ldb, float* c, nint ldc, float alpha)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (nint p = 0, end = inner * aStep; p < end; p += aStep, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + Width), b2 = Vector256.Load(b + 2 * Width), b3 = Vector256.Load(b + 3 * Width);
            Vector256<float> x;
            x = Vector256.Create(a[p]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector256.FusedMultiplyAdd(x, b2, c02);
            c03 = Vector256.FusedMultiplyAdd(x, b3, c03);
            x = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector256.FusedMultiplyAdd(x, b2, c12);
            c13 = Vector256.FusedMultiplyAdd(x, b3, c13);
            x = Vector256.Create(a2[p]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector256.FusedMultiplyAdd(x, b2, c22);
            c23 = Vector256.FusedMultiplyAdd(x, b3, c23);
            x = Vector256.Create(a3[p]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector256.FusedMultiplyAdd(x, b2, c32);
            c33 = Vector256.FusedMultiplyAdd(x, b3, c33);
        }

        (c00 * alpha).Store(c + 0 * ldc + 0 * Width);
        (c01 * alpha).Store(c + 0 * ldc + 1 * Width);
        (c02 * alpha).Store(c + 0 * ldc + 2 * Width);
        (c03 * alpha).Store(c + 0 * ldc + 3 * Width);
        (c10 * alpha).Store(c + 1 * ldc + 0 * Width);
        (c11 * alpha).Store(c + 1 * ldc + 1 * Width);
        (c12 * alpha).Store(c + 1 * ldc + 2 * Width);
        (c13 * alpha).Store(c + 1 * ldc + 3 * Width);
        (c20 * alpha).Store(c + 2 * ldc + 0 * Width);
        (c21 * alpha).Store(c + 2 * ldc + 1 * Width);
        (c22 * alpha).Store(c + 2 * ldc + 2 * Width);
        (c23 * alpha).Store(c + 2 * ldc + 3 * Width);
        (c30 * alpha).Store(c + 3 * ldc + 0 * Width);
        (c31 * alpha).Store(c + 3 * ldc + 1 * Width);
        (c32 * alpha).Store(c + 3 * ldc + 2 * Width);
        (c33 * alpha).Store(c + 3 * ldc + 3 * Width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x2(int inner, float* a, nint lda, nint aStep, float* b, nint ldb, float* c, nint ldc, float alpha)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (nint p = 0, end = inner * aStep; p < end; p += aStep, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + Width);
            Vector256<float> x = Vector256.Create(a[p]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }

        (c00 * alpha).Store(c);
        (c01 * alpha).Store(c + Width);
        (c10 * alpha).Store(c + ldc);
        (c11 * alpha).Store(c + ldc + Width);
        (c20 * alpha).Store(c + 2 * ldc);
        (c21 * alpha).Store(c + 2 * ldc + Width);
        (c30 * alpha).Store(c + 3 * ldc);
        (c31 * alpha).Store(c + 3 * ldc + Width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x1(int inner, float* a, nint lda, nint aStep, float* b, nint ldb, float* c, nint ldc, float alpha)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (nint p = 0, end = inner * aStep; p < end; p += aStep, b += ldb)
        {
            Vector256<float> bv = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[p]), bv, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[p]), bv, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[p]), bv, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[p]), bv, c3);
        }

        (c0 * alpha).Store(c);
        (c1 * alpha).Store(c + ldc);
        (c2 * alpha).Store(c + 2 * ldc);
        (c3 * alpha).Store(c + 3 * ldc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x4(int inner, float* a, nint aStep, float* b, nint ldb, float* c, float alpha)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        for (nint p = 0, end = inner * aStep; p < end; p += aStep, b += ldb)
        {
            Vector256<float> x = Vector256.Create(a[p]);
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + Width), c1);
            c2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 2 * Width), c2);
            c3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 3 * Width), c3);
        }

        (c0 * alpha).Store(c);
        (c1 * alpha).Store(c + Width);
        (c2 * alpha).Store(c + 2 * Width);
        (c3 * alpha).Store(c + 3 * Width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1x1(int inner, float* a, nint aStep, float* b, nint ldb, float* c, float alpha)
    {
        Vector256<float> c0 = default;
        for (nint p = 0, end = inner * aStep; p < end; p += aStep, b += ldb) c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[p]), Vector256.Load(b), c0);
        (c0 * alpha).Store(c);
    }
}
