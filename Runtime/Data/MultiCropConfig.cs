using System;

namespace DinoCompiled.Data;

/// <summary>
/// DINO's multi-crop recipe (DINO-SPEC "Crops"); the defaults are the spec's. Every random part has a switch: a part
/// switched off still draws its random numbers, so switching one part off changes nothing else about a crop.
/// </summary>
public sealed record MultiCropConfig
{
    /// <summary>Side of the two global crops.</summary>
    public int GlobalSize { get; init; } = 224;

    /// <summary>Side of the local crops.</summary>
    public int LocalSize { get; init; } = 96;

    /// <summary>Number of local crops per image (N; crops per image are 2 + N).</summary>
    public int LocalCount { get; init; } = 8;

    /// <summary>Area fraction of the image a global crop covers.</summary>
    public SamplingRange GlobalScale { get; init; } = new(0.4, 1.0);

    /// <summary>Area fraction of the image a local crop covers.</summary>
    public SamplingRange LocalScale { get; init; } = new(0.05, 0.4);

    /// <summary>Aspect ratio (width / height) of the box before it is resized to a square.</summary>
    public SamplingRange Ratio { get; init; } = new(3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Statistics the crops are normalized with; null for the dataset's own.</summary>
    public NormalizationStatistics? Normalization { get; init; }

    /// <summary>Whether crops are flipped horizontally (with <see cref="FlipProbability"/>).</summary>
    public bool FlipEnabled { get; init; } = true;

    /// <summary>Probability of a horizontal flip.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Whether colour jitter is applied (with <see cref="ColorJitterProbability"/>).</summary>
    public bool ColorJitterEnabled { get; init; } = true;

    /// <summary>Probability that a crop's colours are jittered.</summary>
    public double ColorJitterProbability { get; init; } = 0.8;

    /// <summary>Brightness factor drawn from [max(0, 1 − x), 1 + x].</summary>
    public double Brightness { get; init; } = 0.4;

    /// <summary>Contrast factor drawn from [max(0, 1 − x), 1 + x].</summary>
    public double Contrast { get; init; } = 0.4;

    /// <summary>Saturation factor drawn from [max(0, 1 − x), 1 + x] (no effect on 1 channel).</summary>
    public double Saturation { get; init; } = 0.2;

    /// <summary>Hue shift drawn from [−x, x] of a turn, x ≤ 0.5 (no effect on 1 channel).</summary>
    public double Hue { get; init; } = 0.1;

    /// <summary>Whether crops are turned gray (with <see cref="GrayscaleProbability"/>; no effect on 1 channel).</summary>
    public bool GrayscaleEnabled { get; init; } = true;

    /// <summary>Probability of turning a crop gray.</summary>
    public double GrayscaleProbability { get; init; } = 0.2;

    /// <summary>Whether crops are blurred (with the per-kind probabilities below).</summary>
    public bool BlurEnabled { get; init; } = true;

    /// <summary>Blur probability of the first global crop.</summary>
    public double Global1BlurProbability { get; init; } = 1.0;

    /// <summary>Blur probability of the second global crop.</summary>
    public double Global2BlurProbability { get; init; } = 0.1;

    /// <summary>Blur probability of a local crop.</summary>
    public double LocalBlurProbability { get; init; } = 0.5;

    /// <summary>Range the blur's sigma (in pixels of the crop) is drawn from.</summary>
    public SamplingRange BlurSigma { get; init; } = new(0.1, 2.0);

    /// <summary>Whether the second global crop is solarized (with <see cref="SolarizeProbability"/>).</summary>
    public bool SolarizeEnabled { get; init; } = true;

    /// <summary>Probability of solarizing the second global crop.</summary>
    public double SolarizeProbability { get; init; } = 0.2;

    /// <summary>Crops per image: 2 global + <see cref="LocalCount"/> local.</summary>
    public int CropCount => 2 + LocalCount;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (GlobalSize < 1) throw new ArgumentException($"The global crop size must be positive; got {GlobalSize}.", nameof(GlobalSize));
        if (LocalSize < 1) throw new ArgumentException($"The local crop size must be positive; got {LocalSize}.", nameof(LocalSize));
        if (LocalCount < 0) throw new ArgumentException($"The number of local crops cannot be negative; got {LocalCount}.", nameof(LocalCount));
        GlobalScale.Validate(nameof(GlobalScale), 0, 1);
        LocalScale.Validate(nameof(LocalScale), 0, 1);
        if (!(GlobalScale.Max > 0)) throw new ArgumentException("The global scale range must reach above 0.", nameof(GlobalScale));
        if (!(LocalScale.Max > 0)) throw new ArgumentException("The local scale range must reach above 0.", nameof(LocalScale));
        Ratio.Validate(nameof(Ratio), double.Epsilon, double.MaxValue);
        BlurSigma.Validate(nameof(BlurSigma), double.Epsilon, 100);
        CheckProbability(FlipProbability, nameof(FlipProbability));
        CheckProbability(ColorJitterProbability, nameof(ColorJitterProbability));
        CheckProbability(GrayscaleProbability, nameof(GrayscaleProbability));
        CheckProbability(Global1BlurProbability, nameof(Global1BlurProbability));
        CheckProbability(Global2BlurProbability, nameof(Global2BlurProbability));
        CheckProbability(LocalBlurProbability, nameof(LocalBlurProbability));
        CheckProbability(SolarizeProbability, nameof(SolarizeProbability));
        CheckStrength(Brightness, nameof(Brightness), double.MaxValue);
        CheckStrength(Contrast, nameof(Contrast), double.MaxValue);
        CheckStrength(Saturation, nameof(Saturation), double.MaxValue);
        CheckStrength(Hue, nameof(Hue), 0.5);
    }

    private static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{name} must be in [0, 1]; got {p}.", name);
    }

    private static void CheckStrength(double x, string name, double max)
    {
        if (!(x >= 0 && x <= max)) throw new ArgumentException($"{name} must be in [0, {max}]; got {x}.", name);
    }
}
