using System;
using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The row-major → column-major hand-over to cuBLASLt, checked without a GPU: a column-major GEMM written from
/// cuBLASLt's definition (D = op(A)·op(B), matrices stored column-major with their ld) runs on the description
/// <see cref="ColumnMajorGemm.For"/> gives and must reproduce a row-major float64 GEMM, for every transpose combination
/// and padded strides, as the schedules use them (forward, input gradient, weight gradient).
/// </summary>
public sealed class ColumnMajorGemmTests
{
    [Theory]
    [InlineData(5, 7, 3, false, false)]
    [InlineData(5, 7, 3, false, true)]   // Linear forward: y = x·Wᵀ
    [InlineData(5, 7, 3, true, false)]   // weight gradient: dW = dyᵀ·x
    [InlineData(5, 7, 3, true, true)]
    [InlineData(1, 9, 4, false, true)]
    public void TheColumnMajorDescriptionComputesTheRowMajorProduct(int m, int n, int k, bool transA, bool transB)
    {
        var random = new Random(m * 100 + n * 10 + k + (transA ? 7 : 0) + (transB ? 13 : 0));
        // Stored shapes with padded row strides.
        int aRows = transA ? k : m, aCols = transA ? m : k, lda = aCols + 2;
        int bRows = transB ? n : k, bCols = transB ? k : n, ldb = bCols + 3;
        int ldc = n + 1;
        var a = Random(random, aRows * lda);
        var b = Random(random, bRows * ldb);

        var expected = new double[m * ldc];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                expected[i * ldc + j] = sum;
            }

        var g = ColumnMajorGemm.For(m, n, k, lda, transA, ldb, transB, ldc);
        // cuBLASLt's A is our B's memory, its B our A's memory; D is our C's memory.
        var d = new double[m * ldc];
        int opARows = g.TransposeA ? g.ColumnsA : g.RowsA, opACols = g.TransposeA ? g.RowsA : g.ColumnsA;
        int opBRows = g.TransposeB ? g.ColumnsB : g.RowsB, opBCols = g.TransposeB ? g.RowsB : g.ColumnsB;
        Assert.Equal(g.RowsC, opARows);
        Assert.Equal(opACols, opBRows);
        Assert.Equal(g.ColumnsC, opBCols);
        double At(double[] x, int ld, bool transpose, int r, int c) => transpose ? x[r * ld + c] : x[c * ld + r]; // column-major (r, c) of op(X)
        for (int r = 0; r < g.RowsC; r++)
            for (int c = 0; c < g.ColumnsC; c++)
            {
                double sum = 0;
                for (int p = 0; p < opACols; p++) sum += At(b, g.LdA, g.TransposeA, r, p) * At(a, g.LdB, g.TransposeB, p, c);
                d[c * g.LdC + r] = sum;
            }

        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(expected[i * ldc + j], d[i * ldc + j], 12);
        // Stored extents fit the buffers: ld ≥ stored rows, as cuBLASLt requires.
        Assert.True(g.LdA >= g.RowsA && g.LdB >= g.RowsB && g.LdC >= g.RowsC);
    }

    private static double[] Random(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble() * 2 - 1;
        return values;
    }
}
