// Reduce.ColumnSums against float64 sums, including a long reduction over a training
// batch's 12800 rows and a padded leading dimension.
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class ReduceTests
{
    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(37, 197, 200, true)]
    [InlineData(12800, 128, 128, false)]
    [InlineData(7, 64 + 13, 80, true)]
    public void ColumnSumsMatchReference(int rows, int cols, int ld, bool accumulate)
    {
        float[] x = GemmReference.StridedRandom(rows + cols, rows, cols, ld);
        float[] sums = accumulate ? KernelTestData.Uniform(3, cols) : KernelTestData.Poisoned(cols);
        var expected = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            expected[j] = accumulate ? sums[j] : 0;
            for (int i = 0; i < rows; i++) expected[j] += x[i * ld + j];
        }

        Reduce.ColumnSums(x, rows, cols, ld, sums, accumulate);

        KernelAssert.Close(sums, expected, "sums");
    }
}
