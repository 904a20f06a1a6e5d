// The position-embedding resize against a naive float64 re-implementation of PyTorch's
// upsample_bicubic2d (align_corners = False, explicit scale factor), written channels-first
// as PyTorch stores it; and Backward against Forward by the adjoint identity
// <F x, y> = <x, F^T y>, in double.
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class BicubicResizePlanTests
{
    private const double A = -0.75;

    private static double Conv1(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;

    private static double Conv2(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

    /// <summary>PyTorch's bicubic upsampling of a [dim, inSize, inSize] grid, from its formula.</summary>
    internal static double[] TorchBicubic(double[] input, int dim, int inSize, int outSize, double scale)
    {
        var output = new double[dim * outSize * outSize];
        for (int oy = 0; oy < outSize; oy++)
        for (int ox = 0; ox < outSize; ox++)
        {
            double realY = (oy + 0.5) / scale - 0.5, realX = (ox + 0.5) / scale - 0.5;
            int iy = (int)Math.Floor(realY), ix = (int)Math.Floor(realX);
            double ty = realY - iy, tx = realX - ix;
            double[] wy = { Conv2(ty + 1), Conv1(ty), Conv1(1 - ty), Conv2(2 - ty) };
            double[] wx = { Conv2(tx + 1), Conv1(tx), Conv1(1 - tx), Conv2(2 - tx) };
            for (int c = 0; c < dim; c++)
            {
                double value = 0;
                for (int a = 0; a < 4; a++)
                {
                    int y = Math.Clamp(iy - 1 + a, 0, inSize - 1);
                    double row = 0;
                    for (int b = 0; b < 4; b++) row += wx[b] * input[(c * inSize + y) * inSize + Math.Clamp(ix - 1 + b, 0, inSize - 1)];
                    value += wy[a] * row;
                }

                output[(c * outSize + oy) * outSize + ox] = value;
            }
        }

        return output;
    }

    /// <summary>The transpose of <see cref="TorchBicubic"/>, written as the scatter of each output's 16 taps.</summary>
    private static double[] TorchBicubicBackward(double[] dOutput, int dim, int inSize, int outSize, double scale)
    {
        var dInput = new double[dim * inSize * inSize];
        for (int oy = 0; oy < outSize; oy++)
        for (int ox = 0; ox < outSize; ox++)
        {
            double realY = (oy + 0.5) / scale - 0.5, realX = (ox + 0.5) / scale - 0.5;
            int iy = (int)Math.Floor(realY), ix = (int)Math.Floor(realX);
            double ty = realY - iy, tx = realX - ix;
            double[] wy = { Conv2(ty + 1), Conv1(ty), Conv1(1 - ty), Conv2(2 - ty) };
            double[] wx = { Conv2(tx + 1), Conv1(tx), Conv1(1 - tx), Conv2(2 - tx) };
            for (int c = 0; c < dim; c++)
            for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
            {
                int y = Math.Clamp(iy - 1 + a, 0, inSize - 1), x = Math.Clamp(ix - 1 + b, 0, inSize - 1);
                dInput[(c * inSize + y) * inSize + x] += wy[a] * wx[b] * dOutput[(c * outSize + oy) * outSize + ox];
            }
        }

        return dInput;
    }

    [Fact]
    public void ReferenceBackwardMatchesFiniteDifferences()
    {
        const int dim = 2, inSize = 5, outSize = 3;
        double scale = (outSize + 0.1) / inSize;
        double[] x = KernelTestData.ToDouble(KernelTestData.Uniform(1, dim * inSize * inSize));
        double[] dy = KernelTestData.ToDouble(KernelTestData.Uniform(2, dim * outSize * outSize));
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(v => TorchBicubic(v, dim, inSize, outSize, scale), x, dy),
            TorchBicubicBackward(dy, dim, inSize, outSize, scale), "dInput");
    }

    [Theory]
    [InlineData(14, 6, 384)]
    [InlineData(7, 3, 128)]
    [InlineData(28, 12, 13)]
    [InlineData(3, 7, 9)]
    public void BackwardMatchesTorchFormulaTranspose(int inSize, int outSize, int dim)
    {
        double scale = (outSize + 0.1) / inSize;
        var plan = new BicubicResizePlan(inSize, outSize, scale);
        float[] dDst = KernelTestData.Uniform(inSize + outSize, (long)outSize * outSize * dim);
        float[] dSrc = KernelTestData.Uniform(5, (long)inSize * inSize * dim);
        float[] initial = (float[])dSrc.Clone();
        plan.Backward(dDst, dSrc, dim);

        var channelsFirst = new double[dDst.Length];
        for (int p = 0; p < outSize * outSize; p++) for (int c = 0; c < dim; c++) channelsFirst[c * outSize * outSize + p] = dDst[p * dim + c];
        double[] reference = TorchBicubicBackward(channelsFirst, dim, inSize, outSize, scale);
        // Backward adds: compare what it added.
        var expected = new double[dSrc.Length];
        var added = new float[dSrc.Length];
        for (int p = 0; p < inSize * inSize; p++) for (int c = 0; c < dim; c++) expected[p * dim + c] = reference[c * inSize * inSize + p];
        for (int i = 0; i < added.Length; i++) added[i] = dSrc[i] - initial[i];
        KernelAssert.Close(added, expected, "dSrc increment");
    }

    [Theory]
    [InlineData(14, 6, 384)]   // ViT-S/16 local crops
    [InlineData(7, 3, 128)]    // FmnistTiny local crops
    [InlineData(28, 12, 13)]   // ViT-S/8 local crops, odd channel count
    [InlineData(3, 7, 9)]      // upsampling
    [InlineData(5, 4, 1)]
    public void ForwardMatchesTorchFormula(int inSize, int outSize, int dim)
    {
        double scale = (outSize + 0.1) / inSize;
        var plan = new BicubicResizePlan(inSize, outSize, scale);
        float[] src = KernelTestData.Uniform(inSize * 100 + outSize, (long)inSize * inSize * dim);
        float[] dst = KernelTestData.Poisoned((long)outSize * outSize * dim);
        plan.Forward(src, dst, dim);

        // Channels-last -> channels-first for the reference, and back.
        var channelsFirst = new double[src.Length];
        for (int p = 0; p < inSize * inSize; p++) for (int c = 0; c < dim; c++) channelsFirst[c * inSize * inSize + p] = src[p * dim + c];
        double[] reference = TorchBicubic(channelsFirst, dim, inSize, outSize, scale);
        var expected = new double[dst.Length];
        for (int p = 0; p < outSize * outSize; p++) for (int c = 0; c < dim; c++) expected[p * dim + c] = reference[c * outSize * outSize + p];
        KernelAssert.Close(dst, expected, "resized");
    }

    [Theory]
    [InlineData(14, 6, 384)]
    [InlineData(7, 3, 128)]
    [InlineData(28, 12, 13)]
    [InlineData(3, 7, 9)]
    [InlineData(7, 7, 5)]
    public void BackwardIsTheExactTranspose(int inSize, int outSize, int dim)
    {
        var plan = new BicubicResizePlan(inSize, outSize, (outSize + 0.1) / inSize);
        float[] x = KernelTestData.Uniform(1, (long)inSize * inSize * dim);
        float[] y = KernelTestData.Uniform(2, (long)outSize * outSize * dim);
        float[] fx = KernelTestData.Poisoned(y.Length);
        plan.Forward(x, fx, dim);
        float[] initial = KernelTestData.Uniform(3, x.Length);
        float[] fty = (float[])initial.Clone();
        plan.Backward(y, fty, dim);

        double left = 0, right = 0, scale = 0;
        for (int i = 0; i < y.Length; i++)
        {
            left += (double)fx[i] * y[i];
            scale += Math.Abs((double)fx[i] * y[i]);
        }

        for (int i = 0; i < x.Length; i++) right += (double)x[i] * ((double)fty[i] - initial[i]);
        Assert.True(Math.Abs(left - right) < 1e-5 * scale, $"<Fx, y> = {left}, <x, F^T y> = {right}");
    }

    [Fact]
    public void SameSizeIsTheIdentity()
    {
        var plan = new BicubicResizePlan(7, 7, 7.1 / 7);
        float[] x = KernelTestData.Uniform(4, 49 * 3);
        float[] y = KernelTestData.Poisoned(x.Length);
        plan.Forward(x, y, 3);
        KernelAssert.BitwiseEqual(x, y, "identity");
    }
}
