using System;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>Flip, solarize, grayscale and blur on crafted images, each against a small independent reference.</summary>
public sealed class ImageOperationsTests
{
    [Fact]
    public void FlipMirrorsEveryRowOfEveryChannel()
    {
        const int channels = 3, height = 5, width = 7;
        var image = Pattern(channels, height, width);
        var flipped = (byte[])image.Clone();
        ImageOperations.FlipHorizontal(flipped, channels, height, width);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    Assert.Equal(image[(c * height + y) * width + (width - 1 - x)], flipped[(c * height + y) * width + x]);
    }

    [Fact]
    public void SolarizeInvertsFrom128Up()
    {
        var image = new byte[256];
        for (int v = 0; v < 256; v++) image[v] = (byte)v;
        ImageOperations.Solarize(image);
        for (int v = 0; v < 256; v++) Assert.Equal(v >= 128 ? 255 - v : v, image[v]);
    }

    [Fact]
    public void GrayscaleWritesTheLumaToEveryChannel()
    {
        const int height = 6, width = 9;
        var image = Pattern(3, height, width);
        var gray = (byte[])image.Clone();
        ImageOperations.ToGrayscale(gray, 3, height, width);
        int plane = height * width;
        for (int i = 0; i < plane; i++)
        {
            double luma = 0.299 * image[i] + 0.587 * image[plane + i] + 0.114 * image[2 * plane + i];
            Assert.InRange(gray[i], Math.Floor(luma), Math.Ceiling(luma));
            Assert.Equal(gray[i], gray[plane + i]);
            Assert.Equal(gray[i], gray[2 * plane + i]);
        }
    }

    [Fact]
    public void ColourOnlyOperationsLeaveAGrayImageAlone()
    {
        var image = Pattern(1, 8, 8);
        var copy = (byte[])image.Clone();
        ImageOperations.ToGrayscale(copy, 1, 8, 8);
        ColorJitterOperations.AdjustSaturation(copy, 1, 8, 8, 1.7f);
        ColorJitterOperations.AdjustHue(copy, 1, 8, 8, 0.3f);
        Assert.Equal(image, copy);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.7)]
    [InlineData(1.3)]
    [InlineData(2.0)]
    public void BlurOfADeltaIsTheNormalizedKernel(double sigma)
    {
        // A delta of 255 far from the edges: the output is 255 · k(dy) · k(dx), k the sampled Gaussian normalized to sum 1.
        int radius = (int)Math.Ceiling(3 * sigma);
        int side = 4 * radius + 5, center = side / 2;
        var image = new byte[side * side];
        image[center * side + center] = 255;
        GaussianBlur.Apply(image, 1, side, side, sigma, new float[side * side]);

        var kernel = new double[2 * radius + 1];
        double total = 0;
        for (int d = -radius; d <= radius; d++) total += kernel[d + radius] = Math.Exp(-d * d / (2 * sigma * sigma));
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int dy = y - center, dx = x - center;
                double expected = Math.Abs(dy) <= radius && Math.Abs(dx) <= radius ? 255 * kernel[dy + radius] / total * kernel[dx + radius] / total : 0;
                // The result is rounded to a byte once; float sums may land on the other side of a half.
                Assert.True(Math.Abs(image[y * side + x] - expected) <= 0.5 + 1e-3, $"({y}, {x}): {image[y * side + x]} vs {expected:F4}");
            }
    }

    [Fact]
    public void BlurKeepsAConstantImageAndRepeatsTheEdges()
    {
        var constant = new byte[3 * 10 * 10];
        constant.AsSpan().Fill(173);
        GaussianBlur.Apply(constant, 3, 10, 10, 1.9, new float[100]);
        Assert.All(constant, v => Assert.Equal(173, v));

        // A step at the border: with the edge repeated, the column next to the border keeps its full value on that side.
        var step = new byte[16];
        for (int y = 0; y < 4; y++) step[y * 4] = 200;
        GaussianBlur.Apply(step, 1, 4, 4, 0.5, new float[16]);
        double[] k = { Math.Exp(-2.0), 1, Math.Exp(-2.0) };
        double sum = k[0] + k[1] + k[2];
        Assert.Equal((int)Math.Round(200 * (k[0] + k[1]) / sum), step[0]); // left neighbour is the repeated edge itself
        Assert.Equal((int)Math.Round(200 * k[0] / sum), step[1]);
    }

    [Fact]
    public void KernelRadiusIsThreeSigmaRoundedUp()
    {
        Assert.Equal(1, GaussianBlur.KernelRadius(0.1));
        Assert.Equal(3, GaussianBlur.KernelRadius(1.0));
        Assert.Equal(6, GaussianBlur.KernelRadius(2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.KernelRadius(0));
    }

    private static byte[] Pattern(int channels, int height, int width)
    {
        var image = new byte[channels * height * width];
        new Random(11).NextBytes(image);
        return image;
    }
}
