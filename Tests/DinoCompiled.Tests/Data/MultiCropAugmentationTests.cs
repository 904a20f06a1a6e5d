using System;
using System.IO;
using System.Linq;
using DinoCompiled.Data;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>The multi-crop recipe: crops are a pure function of (seed, epoch, index, crop), follow the spec's probabilities, and each step does what it says.</summary>
public sealed class MultiCropAugmentationTests
{
    private static readonly MultiCropConfig FmnistTiny = new() { GlobalSize = 28, LocalSize = 12, LocalCount = 6 };

    // Only the step under test: the box is the whole image (scale 1, ratio 1), everything else off.
    private static readonly MultiCropConfig Bare = FmnistTiny with
    {
        GlobalScale = new SamplingRange(1, 1),
        LocalScale = new SamplingRange(1, 1),
        Ratio = new SamplingRange(1, 1),
        LocalSize = 28,
        FlipEnabled = false,
        ColorJitterEnabled = false,
        GrayscaleEnabled = false,
        BlurEnabled = false,
        SolarizeEnabled = false,
    };

    private static IdxDataset Subset => FashionMnist.Open(Path.Combine(RepositoryPaths.Root, FashionMnist.BundledSubsetDirectory), DatasetSplit.Test);

    [Fact]
    public void TheSameKeyGivesBitwiseTheSameCropsAndAnotherIndexDifferentOnes()
    {
        var dataset = InMemoryDataset.Random(4, 3, 40, 32, seed: 3);
        var augmentation = MultiCropAugmentation.ForDataset(FmnistTiny, dataset);
        var image = new byte[3 * 40 * 32];
        dataset.ReadImage(0, image);
        for (int crop = 0; crop < augmentation.CropCount; crop++)
        {
            var first = Crop(augmentation, image, epoch: 2, index: 0, crop);
            // A fresh workspace, after other crops have used the first one: nothing carries over between crops.
            var again = Crop(augmentation, image, epoch: 2, index: 0, crop);
            var otherIndex = Crop(augmentation, image, epoch: 2, index: 1, crop);
            var otherEpoch = Crop(augmentation, image, epoch: 3, index: 0, crop);
            Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), again.Select(BitConverter.SingleToInt32Bits));
            Assert.NotEqual(first, otherIndex);
            Assert.NotEqual(first, otherEpoch);
        }
    }

    [Fact]
    public void NormalizedCropsOfTheSubsetAreCenteredAndScaled()
    {
        var dataset = Subset;
        var augmentation = MultiCropAugmentation.ForDataset(FmnistTiny, dataset);
        var workspace = augmentation.CreateWorkspace();
        var image = new byte[28 * 28];
        // Normalized bytes lie in [(0 − 0.286) / 0.353, (1 − 0.286) / 0.353].
        float lowest = (0 - FashionMnist.Mean) / FashionMnist.Std, highest = (1 - FashionMnist.Mean) / FashionMnist.Std;
        double sum = 0, sumSquares = 0;
        long count = 0;
        for (int index = 0; index < 400; index++)
        {
            dataset.ReadImage(index, image);
            for (int crop = 0; crop < augmentation.CropCount; crop++)
            {
                var output = new float[augmentation.CropLength(crop)];
                Assert.Equal(crop < 2 ? 28 * 28 : 12 * 12, output.Length);
                augmentation.WriteCrop(image, 11, 0, index, crop, output, workspace);
                foreach (float v in output)
                {
                    Assert.InRange(v, lowest, highest);
                    sum += v;
                    sumSquares += v * v;
                }
                count += output.Length;
            }
        }
        double mean = sum / count, std = Math.Sqrt(sumSquares / count - mean * mean);
        // Near 0 and 1, not at them: a box placed uniformly covers the image's centre (the garment) more often than its
        // dark border, so crops are brighter than whole images (measured: mean 0.22, std 0.93 over 2,000 images).
        Assert.InRange(mean, -0.1, 0.35);
        Assert.InRange(std, 0.8, 1.2);
        Assert.Equal(lowest, Crop(augmentation, new byte[28 * 28], 0, 0, 0).Min(), 5);
    }

    [Fact]
    public void ThePlanDoesNotDependOnTheChannelCount()
    {
        var gray = new MultiCropAugmentation(FmnistTiny, 1, 28, 28, FashionMnist.Normalization);
        var rgb = new MultiCropAugmentation(FmnistTiny, 3, 28, 28, NormalizationStatistics.ImageNet);
        for (int index = 0; index < 50; index++)
            for (int crop = 0; crop < FmnistTiny.CropCount; crop++)
                Assert.Equal(Describe(gray.PlanCrop(5, 1, index, crop)), Describe(rgb.PlanCrop(5, 1, index, crop)));
    }

    [Fact]
    public void SwitchingAStepOffChangesNothingElse()
    {
        var all = new MultiCropAugmentation(FmnistTiny, 1, 28, 28, FashionMnist.Normalization);
        var noFlip = new MultiCropAugmentation(FmnistTiny with { FlipEnabled = false, BlurEnabled = false }, 1, 28, 28, FashionMnist.Normalization);
        for (int index = 0; index < 50; index++)
            for (int crop = 0; crop < FmnistTiny.CropCount; crop++)
            {
                var a = all.PlanCrop(5, 1, index, crop);
                var b = noFlip.PlanCrop(5, 1, index, crop);
                Assert.False(b.Flip);
                Assert.False(b.Blur);
                Assert.Equal((a.Box, a.ColorJitter, a.BrightnessFactor, a.Grayscale, a.BlurSigma, a.Solarize), (b.Box, b.ColorJitter, b.BrightnessFactor, b.Grayscale, b.BlurSigma, b.Solarize));
            }
    }

    [Fact]
    public void DecisionsFollowTheSpecsProbabilities()
    {
        var augmentation = new MultiCropAugmentation(FmnistTiny, 3, 28, 28, NormalizationStatistics.ImageNet);
        const int samples = 4000;
        double Rate(int crop, Func<CropPlan, bool> decision) =>
            Enumerable.Range(0, samples).Count(i => decision(augmentation.PlanCrop(1, 0, i, crop))) / (double)samples;

        Assert.Equal(1.0, Rate(0, p => p.Blur));
        Assert.Equal(0.1, Rate(1, p => p.Blur), 1.5e-2);
        Assert.Equal(0.5, Rate(4, p => p.Blur), 3e-2);
        Assert.Equal(0.0, Rate(0, p => p.Solarize));
        Assert.Equal(0.2, Rate(1, p => p.Solarize), 2e-2);
        Assert.Equal(0.0, Rate(3, p => p.Solarize));
        Assert.Equal(0.5, Rate(2, p => p.Flip), 3e-2);
        Assert.Equal(0.8, Rate(0, p => p.ColorJitter), 2e-2);
        Assert.Equal(0.2, Rate(7, p => p.Grayscale), 2e-2);

        var plans = Enumerable.Range(0, samples).Select(i => augmentation.PlanCrop(1, 0, i, 0)).ToArray();
        Assert.All(plans, p => Assert.InRange(p.BrightnessFactor, 0.6f, 1.4f));
        Assert.All(plans, p => Assert.InRange(p.ContrastFactor, 0.6f, 1.4f));
        Assert.All(plans, p => Assert.InRange(p.SaturationFactor, 0.8f, 1.2f));
        Assert.All(plans, p => Assert.InRange(p.HueShift, -0.1f, 0.1f));
        Assert.All(plans, p => Assert.InRange(p.BlurSigma, 0.1, 2.0));
        // All 24 orders of the four jitter steps occur, each a permutation.
        var orders = plans.Select(p => string.Concat(Enumerable.Range(0, 4).Select(k => (int)p.JitterStep(k)))).ToHashSet();
        Assert.Equal(24, orders.Count);
        Assert.All(orders, o => Assert.Equal("0123", string.Concat(o.Order())));
    }

    [Fact]
    public void FlipInThePipelineMirrorsTheImage()
    {
        var image = RandomImage(1, 28, 28);
        var augmentation = new MultiCropAugmentation(Bare with { FlipEnabled = true }, 1, 28, 28, FashionMnist.Normalization);
        var (flipped, kept) = FindPlans(augmentation, p => p.Flip);
        var output = Render(augmentation, image, flipped);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal(image[y * 28 + 27 - x], output[y * 28 + x]);
        Assert.Equal(image, Render(augmentation, image, kept));
    }

    [Fact]
    public void SolarizeInThePipelineInvertsTheBrightHalf()
    {
        var image = RandomImage(3, 28, 28);
        var augmentation = new MultiCropAugmentation(Bare with { SolarizeEnabled = true, SolarizeProbability = 1 }, 3, 28, 28, NormalizationStatistics.ImageNet);
        var plan = augmentation.PlanCrop(0, 0, 0, cropIndex: 1);
        Assert.True(plan.Solarize);
        Assert.False(augmentation.PlanCrop(0, 0, 0, cropIndex: 0).Solarize); // global 2 only
        Assert.Equal(image.Select(v => (byte)(v >= 128 ? 255 - v : v)), Render(augmentation, image, plan));
    }

    [Fact]
    public void GrayscaleInThePipelineKeepsThreeEqualChannels()
    {
        var image = RandomImage(3, 28, 28);
        var augmentation = new MultiCropAugmentation(Bare with { GrayscaleEnabled = true, GrayscaleProbability = 1 }, 3, 28, 28, NormalizationStatistics.ImageNet);
        var output = Render(augmentation, image, augmentation.PlanCrop(0, 0, 0, 0));
        for (int i = 0; i < 28 * 28; i++)
        {
            double luma = 0.299 * image[i] + 0.587 * image[784 + i] + 0.114 * image[1568 + i];
            Assert.InRange(output[i], Math.Floor(luma), Math.Ceiling(luma));
            Assert.Equal(output[i], output[784 + i]);
            Assert.Equal(output[i], output[1568 + i]);
        }
    }

    [Fact]
    public void BlurInThePipelineIsTheGaussianOfThePlansSigma()
    {
        var image = RandomImage(1, 28, 28);
        var augmentation = new MultiCropAugmentation(Bare with { BlurEnabled = true }, 1, 28, 28, FashionMnist.Normalization);
        // Global 1 is always blurred; a sample whose sigma is large enough to change a random image.
        var plan = Enumerable.Range(0, 64).Select(i => augmentation.PlanCrop(0, 0, i, 0)).First(p => p.BlurSigma > 1);
        Assert.True(plan.Blur);
        var expected = (byte[])image.Clone();
        GaussianBlur.Apply(expected, 1, 28, 28, plan.BlurSigma, new float[784]);
        Assert.Equal(expected, Render(augmentation, image, plan));
        Assert.NotEqual(image, expected);
    }

    [Fact]
    public void TheBareCropIsTheNormalizedImage()
    {
        var image = RandomImage(1, 28, 28);
        var augmentation = new MultiCropAugmentation(Bare, 1, 28, 28, FashionMnist.Normalization);
        var output = Crop(augmentation, image, 0, 0, 3);
        for (int i = 0; i < image.Length; i++) Assert.Equal((image[i] / 255f - FashionMnist.Mean) / FashionMnist.Std, output[i]);
    }

    private static float[] Crop(MultiCropAugmentation augmentation, byte[] image, int epoch, int index, int crop)
    {
        var output = new float[augmentation.CropLength(crop)];
        augmentation.WriteCrop(image, 11, epoch, index, crop, output, augmentation.CreateWorkspace());
        return output;
    }

    private static byte[] Render(MultiCropAugmentation augmentation, byte[] image, CropPlan plan)
    {
        var output = new byte[augmentation.Channels * 28 * 28];
        augmentation.RenderCrop(image, plan, 28, output, augmentation.CreateWorkspace());
        return output;
    }

    private static (CropPlan With, CropPlan Without) FindPlans(MultiCropAugmentation augmentation, Func<CropPlan, bool> decision)
    {
        var plans = Enumerable.Range(0, 64).Select(i => augmentation.PlanCrop(0, 0, i, 0)).ToArray();
        return (plans.First(decision), plans.First(p => !decision(p)));
    }

    private static byte[] RandomImage(int channels, int height, int width)
    {
        var image = new byte[channels * height * width];
        new Random(17).NextBytes(image);
        return image;
    }

    private static string Describe(CropPlan p) =>
        $"{p.Box} {p.Flip} {p.ColorJitter} {p.JitterStep(0)}{p.JitterStep(1)}{p.JitterStep(2)}{p.JitterStep(3)} {p.BrightnessFactor} {p.ContrastFactor} " +
        $"{p.SaturationFactor} {p.HueShift} {p.Grayscale} {p.Blur} {p.BlurSigma} {p.Solarize}";
}
