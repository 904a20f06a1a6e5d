// The AVX2 GEMM microkernel for machines without AVX-512: a 6 x 16 tile of C in 12 ymm
// accumulators (the classic Haswell shape; 16 ymm registers in all). Same contract as
// GemmKernel512.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static unsafe class GemmKernel256
{
    public const int Rows = 6;
    public const int Columns = 16;

    /// <summary>
    /// dst[0..6, 0..16] (+)= sum over p &lt; kc of A(i, p) b[p * 16 + j], where
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
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        nint offset = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x;
            x = Vector256.Create(a0[offset]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[offset]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[offset]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            offset += kStride;
            b += 16;
        }

        Write(dst + 0 * ldDst, accumulate, c00, c01);
        Write(dst + 1 * ldDst, accumulate, c10, c11);
        Write(dst + 2 * ldDst, accumulate, c20, c21);
        Write(dst + 3 * ldDst, accumulate, c30, c31);
        Write(dst + 4 * ldDst, accumulate, c40, c41);
        Write(dst + 5 * ldDst, accumulate, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* c, bool accumulate, Vector256<float> v0, Vector256<float> v1)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }

        v0.Store(c);
        v1.Store(c + 8);
    }
}
