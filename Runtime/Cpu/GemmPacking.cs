// Packs B into column panels of the microkernel's width: panel q holds, for every p in
// [0, k), the NR values B[p, j0 + q NR ..] contiguously (zero beyond n), so the
// microkernel streams one contiguous panel whatever B's layout and leading dimension.
// Packing costs O(k n) once per GEMM call against O(m n k) multiply-adds.
using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DinoCompiled.Cpu;

internal static unsafe class GemmPacking
{
    /// <summary>Packs columns [j0, j0 + nr) (clipped to n) of op(B) for p in [0, k) into dst.</summary>
    public static void PackPanel(float* b, int ldb, bool transB, int k, int n, int j0, int nr, float* dst)
    {
        int cols = Math.Min(nr, n - j0);
        if (!transB)
        {
            for (int p = 0; p < k; p++)
            {
                float* src = b + (long)p * ldb + j0;
                float* row = dst + (long)p * nr;
                int j = 0;
                for (; j + 8 <= cols; j += 8) Vector256.Store(Vector256.Load(src + j), row + j);
                for (; j < cols; j++) row[j] = src[j];
                for (; j < nr; j++) row[j] = 0f;
            }

            return;
        }

        // op(B)[p, j] = b[j * ldb + p]: a transpose, in 8 x 8 register blocks. It runs once
        // per call over k n elements, which matters when m is small (the DINO head).
        int jb = 0;
        for (; jb + 8 <= cols; jb += 8)
        {
            float* s0 = b + (long)(j0 + jb) * ldb;
            nint ld = ldb;
            int p = 0;
            if (Avx.IsSupported)
            {
                for (; p + 8 <= k; p += 8) Transpose8x8(s0 + p, ld, dst + (long)p * nr + jb, nr);
            }

            for (; p < k; p++)
            {
                float* row = dst + (long)p * nr + jb;
                for (int j = 0; j < 8; j++) row[j] = s0[j * ld + p];
            }
        }

        for (; jb < cols; jb++)
        {
            float* src = b + (long)(j0 + jb) * ldb;
            for (int p = 0; p < k; p++) dst[(long)p * nr + jb] = src[p];
        }

        if (cols < nr)
        {
            for (int p = 0; p < k; p++)
            {
                float* row = dst + (long)p * nr;
                for (int j = cols; j < nr; j++) row[j] = 0f;
            }
        }
    }

    /// <summary>dst[q * ldDst + i] = src[i * ldSrc + q] for an 8 x 8 block.</summary>
    private static void Transpose8x8(float* src, nint ldSrc, float* dst, nint ldDst)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + ldSrc);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * ldSrc), r3 = Avx.LoadVector256(src + 3 * ldSrc);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * ldSrc), r5 = Avx.LoadVector256(src + 5 * ldSrc);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * ldSrc), r7 = Avx.LoadVector256(src + 7 * ldSrc);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldDst, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * ldDst, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * ldDst, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * ldDst, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * ldDst, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * ldDst, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * ldDst, Avx.Permute2x128(u3, u7, 0x31));
    }
}
