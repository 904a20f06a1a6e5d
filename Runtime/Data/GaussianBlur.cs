using System;

namespace DinoCompiled.Data;

/// <summary>
/// The crops' Gaussian blur. The reference calls Pillow's <c>ImageFilter.GaussianBlur(radius=sigma)</c>, which
/// approximates a Gaussian of standard deviation sigma with three extended box blurs; this is the Gaussian itself:
/// a separable kernel exp(−d²/2σ²) sampled at integer offsets d in [−r, r] with r = ceil(3σ) (at least 1), normalized
/// to sum 1; edge pixels are repeated beyond the border, as Pillow's box blur does. The horizontal pass is kept in
/// float and the result is rounded once to uint8.
/// </summary>
public static class GaussianBlur
{
    /// <summary>The kernel's half-width for <paramref name="sigma"/>: taps run from −r to r.</summary>
    public static int KernelRadius(double sigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "A blur sigma must be positive.");
        return Math.Max(1, (int)Math.Ceiling(3 * sigma));
    }

    /// <summary>Fills <paramref name="kernel"/> (length 2r + 1) with the normalized taps.</summary>
    public static void FillKernel(double sigma, Span<float> kernel)
    {
        int radius = KernelRadius(sigma);
        if (kernel.Length != 2 * radius + 1) throw new ArgumentException($"A sigma-{sigma} kernel has {2 * radius + 1} taps; the span holds {kernel.Length}.", nameof(kernel));
        double total = 0;
        for (int d = -radius; d <= radius; d++) total += Math.Exp(-d * d / (2 * sigma * sigma));
        for (int d = -radius; d <= radius; d++) kernel[d + radius] = (float)(Math.Exp(-d * d / (2 * sigma * sigma)) / total);
    }

    /// <summary>Blurs each channel of <paramref name="image"/> in place; <paramref name="scratch"/> holds at least height·width floats.</summary>
    public static void Apply(Span<byte> image, int channels, int height, int width, double sigma, Span<float> scratch)
    {
        ImageOperations.CheckLength(image, channels, height, width);
        int radius = KernelRadius(sigma);
        int plane = height * width;
        if (scratch.Length < plane) throw new ArgumentException($"The blur needs {plane} floats of scratch; got {scratch.Length}.", nameof(scratch));
        Span<float> kernel = stackalloc float[2 * radius + 1];
        FillKernel(sigma, kernel);
        var rows = scratch[..plane];
        for (int c = 0; c < channels; c++)
        {
            var channel = image.Slice(c * plane, plane);
            // Horizontal pass: bytes to floats, columns clamped to the edge.
            for (int y = 0; y < height; y++)
            {
                var source = channel.Slice(y * width, width);
                var target = rows.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * source[Math.Clamp(x + k, 0, width - 1)];
                    target[x] = sum;
                }
            }
            // Vertical pass: floats back to bytes, rows clamped to the edge.
            for (int y = 0; y < height; y++)
            {
                var target = channel.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * rows[Math.Clamp(y + k, 0, height - 1) * width + x];
                    target[x] = (byte)Math.Clamp((int)(sum + 0.5f), 0, 255);
                }
            }
        }
    }
}
