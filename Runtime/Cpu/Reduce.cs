using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Column reductions (bias gradients). Parallel over column blocks, each summing its rows in order: deterministic for any thread count.</summary>
public static unsafe class Reduce
{
    private const int ColumnBlock = 64;

    /// <summary>sums[j] (+)= Σ_i x[i, j] over <paramref name="rows"/> rows of leading dimension <paramref name="ld"/>.</summary>
    public static void ColumnSums(float* x, int rows, int cols, int ld, float* sums, bool accumulate)
    {
        var body = new ColumnSumsBody { X = x, Rows = rows, Cols = cols, Ld = ld, Sums = sums, Accumulate = accumulate };
        CpuParallel.For((cols + ColumnBlock - 1) / ColumnBlock, ref body);
    }

    private struct ColumnSumsBody : IParallelBody
    {
        public float* X, Sums;
        public int Rows, Cols, Ld;
        public bool Accumulate;

        public void Invoke(int block)
        {
            int start = block * ColumnBlock, count = Math.Min(ColumnBlock, Cols - start);
            if (count == ColumnBlock)
            {
                // A full block: eight vector accumulators stay in registers while the rows stream by.
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                for (int i = 0; i < Rows; i++)
                {
                    float* r = X + (long)i * Ld + start;
                    a0 += Vector256.Load(r); a1 += Vector256.Load(r + 8); a2 += Vector256.Load(r + 16); a3 += Vector256.Load(r + 24);
                    a4 += Vector256.Load(r + 32); a5 += Vector256.Load(r + 40); a6 += Vector256.Load(r + 48); a7 += Vector256.Load(r + 56);
                }
                float* acc = stackalloc float[ColumnBlock];
                a0.Store(acc); a1.Store(acc + 8); a2.Store(acc + 16); a3.Store(acc + 24);
                a4.Store(acc + 32); a5.Store(acc + 40); a6.Store(acc + 48); a7.Store(acc + 56);
                Write(acc, start, count);
                return;
            }
            float* partial = stackalloc float[ColumnBlock];
            for (int j = 0; j < count; j++) partial[j] = 0;
            for (int i = 0; i < Rows; i++)
            {
                float* row = X + (long)i * Ld + start;
                for (int j = 0; j < count; j++) partial[j] += row[j];
            }
            Write(partial, start, count);
        }

        private void Write(float* acc, int start, int count)
        {
            for (int j = 0; j < count; j++) Sums[start + j] = Accumulate ? Sums[start + j] + acc[j] : acc[j];
        }
    }
}
