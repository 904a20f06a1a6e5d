// Class-token gather/scatter and drop-path row scaling against direct definitions.
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class RowsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 50, 128)]
    [InlineData(5, 10, 37)]
    public void GatherAndScatterClass(int batch, int tokens, int dim)
    {
        float[] x = KernelTestData.Uniform(batch + dim, (long)batch * tokens * dim);
        float[] cls = KernelTestData.Poisoned((long)batch * dim);
        Rows.GatherClass(x, cls, batch, tokens, dim);
        var expected = new double[batch * dim];
        for (int b = 0; b < batch; b++) for (int j = 0; j < dim; j++) expected[b * dim + j] = x[b * tokens * dim + j];
        KernelAssert.Close(cls, expected, "cls");

        float[] dCls = KernelTestData.Uniform(9, (long)batch * dim);
        float[] dTokens = KernelTestData.Poisoned((long)batch * tokens * dim);
        Rows.ScatterClass(dCls, dTokens, batch, tokens, dim);
        var expectedTokens = new double[dTokens.Length];
        for (int b = 0; b < batch; b++) for (int j = 0; j < dim; j++) expectedTokens[b * tokens * dim + j] = dCls[b * dim + j];
        KernelAssert.Close(dTokens, expectedTokens, "dTokens");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(197 * 3, 197, 384)]
    [InlineData(100, 7, 13)]
    public void ScaleRowsByGroup(int rows, int rowsPerScale, int dim)
    {
        float[] x = KernelTestData.Uniform(rows, (long)rows * dim);
        float[] scale = KernelTestData.Uniform(2, (rows - 1) / rowsPerScale + 1, 0f, 2f);
        float[] y = KernelTestData.Poisoned((long)rows * dim);
        Rows.ScaleRows(x, scale, rowsPerScale, y, rows, dim);
        var expected = new double[y.Length];
        for (int r = 0; r < rows; r++) for (int j = 0; j < dim; j++) expected[r * dim + j] = (double)x[r * dim + j] * scale[r / rowsPerScale];
        KernelAssert.Close(y, expected, "y");
    }
}
