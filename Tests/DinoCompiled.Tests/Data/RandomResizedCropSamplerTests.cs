using System;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>The crop box sampler: inside the image, scale and ratio within their ranges up to the rounding of the sides, torchvision's fallback.</summary>
public sealed class RandomResizedCropSamplerTests
{
    [Theory]
    [InlineData(28, 28, 0.4, 1.0)]
    [InlineData(28, 28, 0.05, 0.4)]
    [InlineData(375, 500, 0.4, 1.0)]
    [InlineData(500, 333, 0.05, 0.4)]
    public void BoxesRespectScaleAndRatio(int height, int width, double scaleMin, double scaleMax)
    {
        var scale = new SamplingRange(scaleMin, scaleMax);
        var ratio = new SamplingRange(3.0 / 4, 4.0 / 3);
        double area = (double)height * width;
        var fallback = RandomResizedCropSampler.CentralFallback(height, width, ratio);
        double smallest = 1, largest = 0;
        int sampled = 0;
        for (int i = 0; i < 5000; i++)
        {
            var random = SampleRandom.ForCrop(7, 0, i, 0);
            var box = RandomResizedCropSampler.Sample(ref random, height, width, scale, ratio);
            Assert.InRange(box.Top, 0, height - box.Height);
            Assert.InRange(box.Left, 0, width - box.Width);
            Assert.InRange(box.Height, 1, height);
            Assert.InRange(box.Width, 1, width);
            if (box == fallback) continue;
            sampled++;
            // w and h are the rounded sqrt(A·r) and sqrt(A/r): each within 0.5 of the exact value.
            Assert.True((box.Width + 0.5) * (box.Height + 0.5) >= scaleMin * area - 1e-9, $"{box} is smaller than scale {scaleMin}");
            Assert.True((box.Width - 0.5) * (box.Height - 0.5) <= scaleMax * area + 1e-9, $"{box} is larger than scale {scaleMax}");
            Assert.True((box.Width + 0.5) / (box.Height - 0.5) >= ratio.Min, $"{box} is narrower than ratio {ratio.Min}");
            Assert.True((box.Width - 0.5) / (box.Height + 0.5) <= ratio.Max, $"{box} is wider than ratio {ratio.Max}");
            smallest = Math.Min(smallest, box.Width * box.Height / area);
            largest = Math.Max(largest, box.Width * box.Height / area);
        }
        Assert.True(sampled > 4500, $"only {sampled} of 5000 boxes came from an attempt");
        // The boxes reach both ends of the range (the largest ones fit only with the right aspect ratio).
        Assert.InRange(smallest, 0, scaleMin + 0.05 * (scaleMax - scaleMin) + 3.0 / Math.Min(height, width));
        Assert.InRange(largest, scaleMax - 0.15 * (scaleMax - scaleMin), 1);
    }

    [Fact]
    public void AfterTenFailedAttemptsTheCentralCrop()
    {
        // A 10x40 strip: a full-area box of ratio at most 4/3 is at least 17 rows high, so every attempt fails.
        var random = SampleRandom.ForCrop(1, 2, 3, 4);
        var box = RandomResizedCropSampler.Sample(ref random, 10, 40, new SamplingRange(1, 1), new SamplingRange(3.0 / 4, 4.0 / 3));
        Assert.Equal(new CropBox(0, 13, 10, 13), box); // h = 10, w = round(10 · 4/3) = 13, left = (40 − 13) // 2
        Assert.Equal(new CropBox(13, 0, 13, 10), RandomResizedCropSampler.CentralFallback(40, 10, new SamplingRange(3.0 / 4, 4.0 / 3)));
        Assert.Equal(new CropBox(0, 0, 20, 22), RandomResizedCropSampler.CentralFallback(20, 22, new SamplingRange(3.0 / 4, 4.0 / 3)));
    }

    [Fact]
    public void AFullScaleSquareBoxIsTheWholeImage()
    {
        var random = SampleRandom.ForCrop(5, 0, 0, 0);
        Assert.Equal(new CropBox(0, 0, 28, 28), RandomResizedCropSampler.Sample(ref random, 28, 28, new SamplingRange(1, 1), new SamplingRange(1, 1)));
    }
}
