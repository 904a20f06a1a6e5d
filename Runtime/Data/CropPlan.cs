using System;

namespace DinoCompiled.Data;

/// <summary>
/// Every random decision of one crop, drawn before any pixel is touched. The draws always come in the same order and
/// number after the box (whose sampler uses 2 draws per failed attempt): flip, jitter gate, jitter order (3),
/// brightness, contrast, saturation, hue, grayscale, blur gate, blur sigma, solarize: 12 in all, drawn even for the
/// parts that are switched off, do not apply to this kind of crop, or are no-ops on 1-channel images. So a crop's box
/// and decisions do not depend on the channel count or on the switches of other parts.
/// </summary>
public readonly struct CropPlan
{
    private readonly int _jitterOrder; // four 2-bit ColorJitterStep values, first step in the low bits

    private CropPlan(CropBox box, bool flip, bool colorJitter, int jitterOrder, float brightness, float contrast, float saturation,
        float hue, bool grayscale, bool blur, double blurSigma, bool solarize)
    {
        Box = box;
        Flip = flip;
        ColorJitter = colorJitter;
        _jitterOrder = jitterOrder;
        BrightnessFactor = brightness;
        ContrastFactor = contrast;
        SaturationFactor = saturation;
        HueShift = hue;
        Grayscale = grayscale;
        Blur = blur;
        BlurSigma = blurSigma;
        Solarize = solarize;
    }

    /// <summary>The box of the source image that is resized to the crop.</summary>
    public CropBox Box { get; }

    /// <summary>Whether the crop is mirrored.</summary>
    public bool Flip { get; }

    /// <summary>Whether colour jitter runs (in <see cref="JitterStep"/> order).</summary>
    public bool ColorJitter { get; }

    /// <summary>Brightness factor.</summary>
    public float BrightnessFactor { get; }

    /// <summary>Contrast factor.</summary>
    public float ContrastFactor { get; }

    /// <summary>Saturation factor.</summary>
    public float SaturationFactor { get; }

    /// <summary>Hue shift, in turns.</summary>
    public float HueShift { get; }

    /// <summary>Whether the crop is turned gray.</summary>
    public bool Grayscale { get; }

    /// <summary>Whether the crop is blurred.</summary>
    public bool Blur { get; }

    /// <summary>The blur's sigma (drawn even when <see cref="Blur"/> is false).</summary>
    public double BlurSigma { get; }

    /// <summary>Whether the crop is solarized.</summary>
    public bool Solarize { get; }

    /// <summary>The jitter adjustment applied at <paramref name="position"/> (0 to 3).</summary>
    public ColorJitterStep JitterStep(int position)
    {
        if ((uint)position > 3) throw new ArgumentOutOfRangeException(nameof(position), position, "Colour jitter has 4 steps.");
        return (ColorJitterStep)((_jitterOrder >> (2 * position)) & 3);
    }

    /// <summary>Draws the plan of a crop of <paramref name="kind"/> from a <paramref name="sourceHeight"/>×<paramref name="sourceWidth"/> image.</summary>
    public static CropPlan Sample(ref SampleRandom random, MultiCropConfig config, CropKind kind, int sourceHeight, int sourceWidth)
    {
        var scale = kind == CropKind.Local ? config.LocalScale : config.GlobalScale;
        var box = RandomResizedCropSampler.Sample(ref random, sourceHeight, sourceWidth, scale, config.Ratio);

        bool flip = random.NextDouble() < config.FlipProbability && config.FlipEnabled;

        bool jitter = random.NextDouble() < config.ColorJitterProbability && config.ColorJitterEnabled;
        // Fisher–Yates over the four steps, as torch.randperm(4) gives a uniform order.
        Span<int> order = [0, 1, 2, 3];
        for (int i = 3; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int packedOrder = order[0] | order[1] << 2 | order[2] << 4 | order[3] << 6;
        float brightness = (float)random.NextDouble(Math.Max(0, 1 - config.Brightness), 1 + config.Brightness);
        float contrast = (float)random.NextDouble(Math.Max(0, 1 - config.Contrast), 1 + config.Contrast);
        float saturation = (float)random.NextDouble(Math.Max(0, 1 - config.Saturation), 1 + config.Saturation);
        float hue = (float)random.NextDouble(-config.Hue, config.Hue);

        bool grayscale = random.NextDouble() < config.GrayscaleProbability && config.GrayscaleEnabled;

        double blurProbability = kind switch
        {
            CropKind.Global1 => config.Global1BlurProbability,
            CropKind.Global2 => config.Global2BlurProbability,
            _ => config.LocalBlurProbability,
        };
        bool blur = random.NextDouble() < blurProbability && config.BlurEnabled;
        double sigma = random.NextDouble(config.BlurSigma.Min, config.BlurSigma.Max);

        bool solarize = random.NextDouble() < config.SolarizeProbability && config.SolarizeEnabled && kind == CropKind.Global2;

        return new CropPlan(box, flip, jitter, packedOrder, brightness, contrast, saturation, hue, grayscale, blur, sigma, solarize);
    }
}
