// Packs B into column panels of the microkernel's width: panel q holds, for every p in
// [0, k), the NR values B[p, j0 + q NR ..] contiguously (zero beyond n), so the
// microkernel streams one contiguous panel whatever B's layout and leading dimension.
// Packing costs O(k n) once per GEMM call against O(m n k) multiply-adds.
using System;
using System.Runtime.Intrinsics;

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

        // op(B)[p, j] = b[j * ldb + p]: a transpose. Eight source rows at a time keep the
        // stores within one 32-byte run of the panel row.
        int jb = 0;
        for (; jb + 8 <= cols; jb += 8)
        {
            float* s0 = b + (long)(j0 + jb) * ldb;
            nint ld = ldb;
            for (int p = 0; p < k; p++)
            {
                float* row = dst + (long)p * nr + jb;
                row[0] = s0[p];
                row[1] = s0[ld + p];
                row[2] = s0[2 * ld + p];
                row[3] = s0[3 * ld + p];
                row[4] = s0[4 * ld + p];
                row[5] = s0[5 * ld + p];
                row[6] = s0[6 * ld + p];
                row[7] = s0[7 * ld + p];
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
}
