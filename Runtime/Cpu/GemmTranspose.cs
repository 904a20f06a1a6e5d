// The packed operand is B, packed once per call, and each packed element then serves m
// rows: when m is much smaller than n and k is long (a weight gradient such as
// [128 x 512] = dy^T h over 12800 rows), packing B dominates. Computing the transposed
// problem C^T = op(B)^T op(A)^T instead packs the narrower operand and serves n rows per
// packed element; transposing C back costs O(m n), small against the saved O(k (n - m))
// copies. Each element's k-sum runs in the same order either way (so for beta = 0 the
// result is bitwise the same); the choice depends on the shape only.
using System;

namespace DinoCompiled.Cpu;

internal static unsafe class GemmTranspose
{
    private const int Block = 16;
    // Keep the transposed product in a modest scratch buffer.
    private const long MaxElements = 8L << 20;

    private struct CopyJob
    {
        public float* Source, C;
        public int M, N, Ldc;
        public float Beta;
    }

    /// <summary>True when packing A's side instead of B's saves more than the transpose costs.</summary>
    public static bool Pays(int m, int n, int k) =>
        n > m && (long)m * n <= MaxElements && (long)k * (n - m) > 4L * m * n;

    /// <summary>Runs <paramref name="job"/> (epilogue None) as its transpose; the caller holds CpuParallel.Gate.</summary>
    public static void Run(ref GemmJob job)
    {
        float* t = (float*)CpuScratch.Shared(ScratchSlot.GemmTransposedC, (long)job.M * job.N * sizeof(float));
        var transposed = new GemmJob
        {
            M = job.N,
            N = job.M,
            K = job.K,
            A = job.B,
            Lda = job.Ldb,
            TransA = !job.TransB,
            B = job.A,
            Ldb = job.Lda,
            TransB = !job.TransA,
            C = t,
            Ldc = job.M,
            Beta = 0f,
        };
        transposed.Run();

        var copy = new CopyJob { Source = t, C = job.C, M = job.M, N = job.N, Ldc = job.Ldc, Beta = job.Beta };
        CpuParallel.For((job.M + Block - 1) / Block, &CopyRows, &copy);
    }

    /// <summary>C[i, j] = t[j, i] + beta C[i, j] for a block of rows i, in 16 x 16 tiles.</summary>
    private static void CopyRows(int block, void* state)
    {
        var job = (CopyJob*)state;
        int i0 = block * Block, i1 = Math.Min(i0 + Block, job->M);
        for (int j0 = 0; j0 < job->N; j0 += Block)
        {
            int j1 = Math.Min(j0 + Block, job->N);
            for (int i = i0; i < i1; i++)
            {
                float* c = job->C + (long)i * job->Ldc;
                if (job->Beta == 0f)
                {
                    for (int j = j0; j < j1; j++) c[j] = job->Source[(long)j * job->M + i];
                }
                else
                {
                    for (int j = j0; j < j1; j++) c[j] = float.FusedMultiplyAdd(c[j], job->Beta, job->Source[(long)j * job->M + i]);
                }
            }
        }
    }
}
