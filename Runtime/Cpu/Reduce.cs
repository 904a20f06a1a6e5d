using System;

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
            float* acc = stackalloc float[ColumnBlock];
            for (int j = 0; j < count; j++) acc[j] = 0;
            for (int i = 0; i < Rows; i++)
            {
                float* row = X + (long)i * Ld + start;
                for (int j = 0; j < count; j++) acc[j] += row[j];
            }
            for (int j = 0; j < count; j++) Sums[start + j] = Accumulate ? Sums[start + j] + acc[j] : acc[j];
        }
    }
}
