// Column sums (bias gradients). Split over 64-column blocks, each summing all rows in
// order in double: deterministic for any thread count, and accurate over 10^4 rows.
using System;

namespace DinoCompiled.Cpu;

/// <summary>Reductions over rows.</summary>
public static unsafe class Reduce
{
    private const int BlockColumns = 64;

    private struct Job
    {
        public float* X, Sums;
        public int Rows, Cols, Ld;
        public bool Accumulate;
    }

    /// <summary>sums[j] (+)= sum over i of x[i * ld + j].</summary>
    public static void ColumnSums(float* x, int rows, int cols, int ld, float* sums, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentOutOfRangeException.ThrowIfLessThan(ld, cols);
        var job = new Job { X = x, Sums = sums, Rows = rows, Cols = cols, Ld = ld, Accumulate = accumulate };
        CpuParallel.For((cols + BlockColumns - 1) / BlockColumns, &Block, &job);
    }

    /// <summary>Span form of <see cref="ColumnSums(float*, int, int, int, float*, bool)"/>.</summary>
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int cols, int ld, Span<float> sums, bool accumulate)
    {
        SpanChecks.Matrix(x.Length, rows, cols, ld, nameof(x));
        SpanChecks.Length(sums.Length, cols, nameof(sums));
        fixed (float* px = x)
        fixed (float* ps = sums)
        {
            ColumnSums(px, rows, cols, ld, ps, accumulate);
        }
    }

    private static void Block(int block, void* state)
    {
        var job = (Job*)state;
        int j0 = block * BlockColumns;
        int width = Math.Min(BlockColumns, job->Cols - j0);
        ColumnSummer.Sum(job->X + j0, job->Ld, job->Rows, width, job->Sums + j0, job->Accumulate);
    }
}
