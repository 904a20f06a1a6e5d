using System;
using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Data;

/// <summary>
/// Per-channel mean and standard deviation on the [0, 1] pixel scale: a pixel v becomes (v / 255 − mean) / std,
/// as torchvision's <c>ToTensor</c> followed by <c>Normalize</c>.
/// </summary>
public sealed record NormalizationStatistics
{
    /// <summary>Creates statistics for <c>mean.Count</c> channels.</summary>
    /// <exception cref="ArgumentException">The lists differ in length, are empty, or a std is not positive.</exception>
    public NormalizationStatistics(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
            throw new ArgumentException($"Normalization needs one mean and one std per channel; got {mean.Count} means and {std.Count} stds.", nameof(std));
        if (std.Any(s => !(s > 0) || float.IsInfinity(s)) || mean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException($"Normalization needs finite means and positive stds; got mean [{Format(mean)}], std [{Format(std)}].", nameof(std));
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>ImageNet's statistics, which DINO normalizes RGB images with.</summary>
    public static NormalizationStatistics ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>
    /// ImageNet's statistics carried to one gray channel through the luma weights (0.299, 0.587, 0.114) that turn RGB
    /// into gray: the default for a 1-channel image folder, whose own statistics are not known when it is opened.
    /// </summary>
    public static NormalizationStatistics ImageNetGray { get; } = new([0.4590f], [0.2256f]);

    /// <summary>Number of channels.</summary>
    public int Channels => Mean.Count;

    /// <summary>Mean per channel.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Standard deviation per channel.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>The ImageNet statistics for 3 channels, their gray form for 1.</summary>
    public static NormalizationStatistics ImageNetFor(int channels) => channels switch
    {
        1 => ImageNetGray,
        3 => ImageNet,
        _ => throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels."),
    };

    /// <summary>
    /// The per-channel mean and standard deviation on the [0, 1] scale of at most <paramref name="maxImages"/> images
    /// of <paramref name="dataset"/>, evenly spaced over it, exactly (per-channel byte histograms), as the images are
    /// stored (after the dataset's resize): the statistics of a set whose own are not known.
    /// </summary>
    public static NormalizationStatistics Measure(IImageDataset dataset, int maxImages)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var sample = new DatasetSample(dataset, maxImages);
        int channels = dataset.Channels, plane = dataset.Height * dataset.Width;
        var histograms = new long[channels, 256];
        var pixels = new byte[channels * plane];
        for (int i = 0; i < sample.Count; i++)
        {
            sample.ReadImage(i, pixels);
            for (int c = 0; c < channels; c++)
                foreach (byte p in pixels.AsSpan(c * plane, plane)) histograms[c, p]++;
        }
        var mean = new float[channels];
        var std = new float[channels];
        double count = (double)sample.Count * plane;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, sumSquares = 0;
            for (int v = 0; v < 256; v++)
            {
                double x = v / 255.0;
                sum += histograms[c, v] * x;
                sumSquares += histograms[c, v] * x * x;
            }
            double m = sum / count;
            mean[c] = (float)m;
            // A constant channel has no spread; keep the normalization finite.
            std[c] = (float)Math.Max(Math.Sqrt(Math.Max(sumSquares / count - m * m, 0)), 1e-3);
        }
        return new NormalizationStatistics(mean, std);
    }

    /// <summary>Compares the values, not the lists' identities.</summary>
    public bool Equals(NormalizationStatistics? other) =>
        other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Channels, Mean[0], Std[0]);

    /// <summary><c>mean [0.286], std [0.353]</c>.</summary>
    public override string ToString() => $"mean [{Format(Mean)}], std [{Format(Std)}]";

    private static string Format(IReadOnlyList<float> values) =>
        string.Join(", ", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
