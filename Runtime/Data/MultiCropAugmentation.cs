using System;

namespace DinoCompiled.Data;

/// <summary>
/// DINO's multi-crop augmentation (DINO-SPEC "Crops") of one image size: crop k of a sample is
/// RandomResizedCrop (Pillow bicubic) → flip → colour jitter in random order → grayscale → Gaussian blur →
/// solarize (global 2 only) → normalize, the steps' arithmetic that of Pillow on uint8, as in the reference.
/// Crop 0 and 1 are the global crops, 2 and up the local ones. Every random number comes from
/// <see cref="SampleRandom.ForCrop"/>(seed, epoch, sample, crop), so a crop is a pure function of that key.
/// On 1-channel images saturation, hue and grayscale change nothing but still draw their numbers (<see cref="CropPlan"/>).
/// Immutable and thread-safe; each thread brings its own <see cref="AugmentationWorkspace"/>.
/// </summary>
public sealed class MultiCropAugmentation
{
    private readonly PixelNormalizer _normalizer;

    /// <summary>Prepares the augmentation of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> images.</summary>
    public MultiCropAugmentation(MultiCropConfig config, int channels, int height, int width, NormalizationStatistics normalization)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(normalization);
        config.Validate();
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Cannot crop {height}x{width} images.");
        if (normalization.Channels != channels)
            throw new ArgumentException($"The images have {channels} channels but the normalization has {normalization.Channels}.", nameof(normalization));
        Config = config;
        Channels = channels;
        SourceHeight = height;
        SourceWidth = width;
        _normalizer = new PixelNormalizer(normalization);
    }

    /// <summary>The augmentation of <paramref name="dataset"/>'s images, normalized with the config's statistics or else the dataset's.</summary>
    public static MultiCropAugmentation ForDataset(MultiCropConfig config, IImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dataset);
        return new MultiCropAugmentation(config, dataset.Channels, dataset.Height, dataset.Width, config.Normalization ?? dataset.Normalization);
    }

    /// <summary>The recipe.</summary>
    public MultiCropConfig Config { get; }

    /// <summary>Channels of the images and the crops.</summary>
    public int Channels { get; }

    /// <summary>Height of the source images.</summary>
    public int SourceHeight { get; }

    /// <summary>Width of the source images.</summary>
    public int SourceWidth { get; }

    /// <summary>What the crops are normalized with.</summary>
    public NormalizationStatistics Normalization => _normalizer.Statistics;

    /// <summary>Crops per image, 2 + local count.</summary>
    public int CropCount => Config.CropCount;

    /// <summary>The recipe crop <paramref name="cropIndex"/> follows: 0 global 1, 1 global 2, the rest local.</summary>
    public static CropKind KindOf(int cropIndex) => cropIndex switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(cropIndex), cropIndex, "Crop indices start at 0."),
        0 => CropKind.Global1,
        1 => CropKind.Global2,
        _ => CropKind.Local,
    };

    /// <summary>Side of crop <paramref name="cropIndex"/>.</summary>
    public int CropSize(int cropIndex)
    {
        if (cropIndex >= CropCount) throw new ArgumentOutOfRangeException(nameof(cropIndex), cropIndex, $"There are {CropCount} crops per image.");
        return KindOf(cropIndex) == CropKind.Local ? Config.LocalSize : Config.GlobalSize;
    }

    /// <summary>Floats in crop <paramref name="cropIndex"/>: channels · side².</summary>
    public int CropLength(int cropIndex) => Channels * CropSize(cropIndex) * CropSize(cropIndex);

    /// <summary>Buffers for one thread.</summary>
    public AugmentationWorkspace CreateWorkspace() => new(Channels, Math.Max(Config.GlobalSize, Config.LocalSize));

    /// <summary>Every random decision of crop <paramref name="cropIndex"/> of sample <paramref name="sampleIndex"/> in <paramref name="epoch"/>.</summary>
    public CropPlan PlanCrop(long seed, int epoch, int sampleIndex, int cropIndex)
    {
        var random = SampleRandom.ForCrop(seed, epoch, sampleIndex, cropIndex);
        return CropPlan.Sample(ref random, Config, KindOf(cropIndex), SourceHeight, SourceWidth);
    }

    /// <summary>
    /// Writes crop <paramref name="cropIndex"/> of <paramref name="image"/> (the dataset's sample <paramref name="sampleIndex"/>),
    /// normalized, to <paramref name="destination"/> ([channels, side, side]).
    /// </summary>
    public void WriteCrop(ReadOnlySpan<byte> image, long seed, int epoch, int sampleIndex, int cropIndex, Span<float> destination, AugmentationWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        int size = CropSize(cropIndex);
        var pixels = workspace.CropPixels.AsSpan(0, Channels * size * size);
        RenderCrop(image, PlanCrop(seed, epoch, sampleIndex, cropIndex), size, pixels, workspace);
        _normalizer.Normalize(pixels, destination);
    }

    /// <summary>Applies <paramref name="plan"/> to <paramref name="image"/>, giving the uint8 crop of side <paramref name="size"/> before normalization.</summary>
    public void RenderCrop(ReadOnlySpan<byte> image, in CropPlan plan, int size, Span<byte> pixels, AugmentationWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ImageOperations.CheckLength(image, Channels, SourceHeight, SourceWidth);
        int channels = Channels;
        workspace.Resampler.Resize(image, channels, SourceHeight, SourceWidth, plan.Box, pixels, size, size);
        if (plan.Flip) ImageOperations.FlipHorizontal(pixels, channels, size, size);
        if (plan.ColorJitter)
        {
            for (int position = 0; position < 4; position++)
            {
                switch (plan.JitterStep(position))
                {
                    case ColorJitterStep.Brightness: ColorJitterOperations.AdjustBrightness(pixels, plan.BrightnessFactor); break;
                    case ColorJitterStep.Contrast: ColorJitterOperations.AdjustContrast(pixels, channels, size, size, plan.ContrastFactor); break;
                    case ColorJitterStep.Saturation: ColorJitterOperations.AdjustSaturation(pixels, channels, size, size, plan.SaturationFactor); break;
                    case ColorJitterStep.Hue: ColorJitterOperations.AdjustHue(pixels, channels, size, size, plan.HueShift); break;
                }
            }
        }
        if (plan.Grayscale) ImageOperations.ToGrayscale(pixels, channels, size, size);
        if (plan.Blur) GaussianBlur.Apply(pixels, channels, size, size, plan.BlurSigma, workspace.BlurScratch);
        if (plan.Solarize) ImageOperations.Solarize(pixels);
    }
}
