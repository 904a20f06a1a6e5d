// The AVX-512 GEMM microkernel: a 6 x 64 tile of C in 24 zmm accumulators. Per k step it
// loads four vectors of the packed B panel and broadcasts six A values, so 24 FMAs cost
// 10 loads and the loop is FMA-bound. A is read in place through a row stride and a k
// stride, which covers both A and A^T without packing A. Register tile written out by
// hand because the JIT keeps named locals in registers (checked with DOTNET_JitDisasm:
// no spills in the loop).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DinoCompiled.Cpu;

internal static unsafe class GemmKernel512
{
    public const int Rows = 6;
    public const int Columns = 64;

    /// <summary>
    /// dst[0..6, 0..64] (+)= sum over p &lt; kc of A(i, p) b[p * 64 + j], where
    /// A(i, p) = a[min(i, rows - 1) * rowStride + p * kStride].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, int rows, nint rowStride, nint kStride, float* b, float* dst, nint ldDst, bool accumulate)
    {
        float* a0 = a;
        float* a1 = a + (rows > 1 ? 1 : rows - 1) * rowStride;
        float* a2 = a + (rows > 2 ? 2 : rows - 1) * rowStride;
        float* a3 = a + (rows > 3 ? 3 : rows - 1) * rowStride;
        float* a4 = a + (rows > 4 ? 4 : rows - 1) * rowStride;
        float* a5 = a + (rows > 5 ? 5 : rows - 1) * rowStride;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c43 = default;
        Vector512<float> c50 = default, c51 = default, c52 = default, c53 = default;
        nint offset = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> b2 = Vector512.Load(b + 32);
            Vector512<float> b3 = Vector512.Load(b + 48);
            Vector512<float> x;
            x = Vector512.Create(a0[offset]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[offset]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[offset]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[offset]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(x, b3, c33);
            x = Vector512.Create(a4[offset]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            c42 = Avx512F.FusedMultiplyAdd(x, b2, c42);
            c43 = Avx512F.FusedMultiplyAdd(x, b3, c43);
            x = Vector512.Create(a5[offset]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            c52 = Avx512F.FusedMultiplyAdd(x, b2, c52);
            c53 = Avx512F.FusedMultiplyAdd(x, b3, c53);
            offset += kStride;
            b += 64;
        }

        Write(dst + 0 * ldDst, accumulate, c00, c01, c02, c03);
        Write(dst + 1 * ldDst, accumulate, c10, c11, c12, c13);
        Write(dst + 2 * ldDst, accumulate, c20, c21, c22, c23);
        Write(dst + 3 * ldDst, accumulate, c30, c31, c32, c33);
        Write(dst + 4 * ldDst, accumulate, c40, c41, c42, c43);
        Write(dst + 5 * ldDst, accumulate, c50, c51, c52, c53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* c, bool accumulate, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
            v2 += Vector512.Load(c + 32);
            v3 += Vector512.Load(c + 48);
        }

        v0.Store(c);
        v1.Store(c + 16);
        v2.Store(c + 32);
        v3.Store(c + 48);
    }
}
