// Patch unfolding against the convolution it stands for, and token assembly with its
// backward (reference backward checked by central differences).
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class PatchTests
{
    [Theory]
    [InlineData(2, 1, 28, 4)]
    [InlineData(1, 3, 32, 16)]
    [InlineData(3, 2, 12, 4)]
    [InlineData(1, 1, 5, 5)]
    public void Im2ColThenGemmIsTheConvolution(int batch, int channels, int size, int patch)
    {
        int grid = size / patch, dim = 5, width = channels * patch * patch;
        float[] images = KernelTestData.Uniform(size, (long)batch * channels * size * size);
        float[] weight = KernelTestData.Uniform(2, (long)dim * width); // [D, C, p, p]
        float[] columns = KernelTestData.Poisoned((long)batch * grid * grid * width);
        Patch.Im2Col(images, columns, batch, channels, size, patch);

        // The unfolded rows hold exactly the patch pixels, in (c, ky, kx) order.
        var expectedColumns = new double[columns.Length];
        var conv = new double[batch * grid * grid * dim];
        for (int b = 0; b < batch; b++)
        for (int gy = 0; gy < grid; gy++)
        for (int gx = 0; gx < grid; gx++)
        {
            int row = (b * grid + gy) * grid + gx;
            for (int c = 0; c < channels; c++)
            for (int ky = 0; ky < patch; ky++)
            for (int kx = 0; kx < patch; kx++)
            {
                double pixel = images[((b * channels + c) * size + gy * patch + ky) * size + gx * patch + kx];
                expectedColumns[row * width + (c * patch + ky) * patch + kx] = pixel;
                for (int d = 0; d < dim; d++) conv[row * dim + d] += pixel * weight[d * width + (c * patch + ky) * patch + kx];
            }
        }

        KernelAssert.Close(columns, expectedColumns, "columns");
        float[] embedded = KernelTestData.Poisoned(conv.Length);
        Gemm.Compute(batch * grid * grid, dim, width, columns, width, false, weight, width, true, embedded, dim, 0f);
        KernelAssert.Close(embedded, conv, "patch embedding");
    }

    private static double[] ReferenceAssemble(double[] patchTokens, double[] cls, double[] posCls, double[] posPatches, int batch, int patches, int dim)
    {
        var tokens = new double[batch * (patches + 1) * dim];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < dim; j++) tokens[b * (patches + 1) * dim + j] = cls[j] + posCls[j];
            for (int n = 0; n < patches; n++)
            for (int j = 0; j < dim; j++)
            {
                tokens[(b * (patches + 1) + n + 1) * dim + j] = patchTokens[(b * patches + n) * dim + j] + posPatches[n * dim + j];
            }
        }

        return tokens;
    }

    private static void ReferenceBackward(double[] dTokens, int batch, int patches, int dim,
        out double[] dPatch, out double[] dCls, out double[] dPosCls, out double[] dPos)
    {
        dPatch = new double[batch * patches * dim];
        dCls = new double[dim];
        dPos = new double[patches * dim];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < dim; j++) dCls[j] += dTokens[b * (patches + 1) * dim + j];
            for (int n = 0; n < patches; n++)
            for (int j = 0; j < dim; j++)
            {
                double g = dTokens[(b * (patches + 1) + n + 1) * dim + j];
                dPatch[(b * patches + n) * dim + j] = g;
                dPos[n * dim + j] += g;
            }
        }

        dPosCls = (double[])dCls.Clone();
    }

    [Fact]
    public void ReferenceBackwardMatchesFiniteDifferences()
    {
        const int batch = 2, patches = 3, dim = 4;
        double[] patch = KernelTestData.ToDouble(KernelTestData.Uniform(1, batch * patches * dim));
        double[] cls = KernelTestData.ToDouble(KernelTestData.Uniform(2, dim));
        double[] posCls = KernelTestData.ToDouble(KernelTestData.Uniform(3, dim));
        double[] pos = KernelTestData.ToDouble(KernelTestData.Uniform(4, patches * dim));
        double[] dTokens = KernelTestData.ToDouble(KernelTestData.Uniform(5, batch * (patches + 1) * dim));
        ReferenceBackward(dTokens, batch, patches, dim, out double[] dPatch, out double[] dCls, out double[] dPosCls, out double[] dPos);
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceAssemble(v, cls, posCls, pos, batch, patches, dim), patch, dTokens), dPatch, "dPatch");
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceAssemble(patch, v, posCls, pos, batch, patches, dim), cls, dTokens), dCls, "dCls");
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceAssemble(patch, cls, v, pos, batch, patches, dim), posCls, dTokens), dPosCls, "dPosCls");
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => ReferenceAssemble(patch, cls, posCls, v, batch, patches, dim), pos, dTokens), dPos, "dPos");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 49, 128)]
    [InlineData(5, 9, 37)]
    [InlineData(128, 9, 19)]
    public void AssembleAndBackwardMatchReference(int batch, int patches, int dim)
    {
        float[] patch = KernelTestData.Uniform(1, (long)batch * patches * dim);
        float[] cls = KernelTestData.Uniform(2, dim), posCls = KernelTestData.Uniform(3, dim), pos = KernelTestData.Uniform(4, (long)patches * dim);
        float[] tokens = KernelTestData.Poisoned((long)batch * (patches + 1) * dim);
        Patch.AssembleTokens(patch, cls, posCls, pos, tokens, batch, patches, dim);
        KernelAssert.Close(tokens, ReferenceAssemble(KernelTestData.ToDouble(patch), KernelTestData.ToDouble(cls), KernelTestData.ToDouble(posCls),
            KernelTestData.ToDouble(pos), batch, patches, dim), "tokens");

        float[] dTokens = KernelTestData.Uniform(5, tokens.Length);
        float[] dPatch = KernelTestData.Poisoned(patch.Length);
        float[] dCls = KernelTestData.Uniform(6, dim), dPosCls = KernelTestData.Uniform(7, dim), dPos = KernelTestData.Uniform(8, pos.Length);
        float[] dCls0 = (float[])dCls.Clone(), dPosCls0 = (float[])dPosCls.Clone(), dPos0 = (float[])dPos.Clone();
        Patch.AssembleTokensBackward(dTokens, dPatch, dCls, dPosCls, dPos, batch, patches, dim);

        ReferenceBackward(KernelTestData.ToDouble(dTokens), batch, patches, dim, out double[] eP, out double[] eC, out double[] ePC, out double[] ePos);
        for (int j = 0; j < dim; j++)
        {
            eC[j] += dCls0[j];
            ePC[j] += dPosCls0[j];
        }

        for (int i = 0; i < ePos.Length; i++) ePos[i] += dPos0[i];
        KernelAssert.Close(dPatch, eP, "dPatchTokens");
        KernelAssert.Close(dCls, eC, "dCls");
        KernelAssert.Close(dPosCls, ePC, "dPosCls");
        KernelAssert.Close(dPos, ePos, "dPosPatches");
    }

    [Fact]
    public void RejectsSizeNotMultipleOfPatch()
    {
        Assert.Throws<ArgumentException>(() => Patch.Im2Col(new float[30], new float[30], 1, 1, 5, 2));
    }
}
