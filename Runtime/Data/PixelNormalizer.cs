using System;

namespace DinoCompiled.Data;

/// <summary>
/// Turns uint8 planar pixels into normalized float32: (v / 255 − mean[c]) / std[c] in float32, the arithmetic of
/// torchvision's <c>ToTensor</c> and <c>Normalize</c>. A byte has 256 values, so each channel is a 256-entry table.
/// </summary>
public sealed class PixelNormalizer
{
    private readonly float[] _table;

    /// <summary>Builds the tables for <paramref name="statistics"/>.</summary>
    public PixelNormalizer(NormalizationStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        Statistics = statistics;
        _table = new float[statistics.Channels * 256];
        for (int c = 0; c < statistics.Channels; c++)
            for (int v = 0; v < 256; v++)
                _table[c * 256 + v] = (v / 255f - statistics.Mean[c]) / statistics.Std[c];
    }

    /// <summary>The statistics.</summary>
    public NormalizationStatistics Statistics { get; }

    /// <summary>Normalizes <paramref name="pixels"/> ([channels, plane]) into <paramref name="destination"/> of the same length.</summary>
    public void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        int channels = Statistics.Channels;
        if (pixels.Length != destination.Length || pixels.Length % channels != 0)
            throw new ArgumentException($"Cannot normalize {pixels.Length} bytes of {channels} channels into {destination.Length} floats.", nameof(destination));
        int plane = pixels.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            var table = _table.AsSpan(c * 256, 256);
            var source = pixels.Slice(c * plane, plane);
            var target = destination.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++) target[i] = table[source[i]];
        }
    }
}
