using System;

namespace DinoCompiled.Data;

/// <summary>
/// The box of torchvision's <c>RandomResizedCrop.get_params</c>: up to 10 attempts that draw an area fraction uniform in
/// <c>scale</c> and a log aspect ratio uniform in log(<c>ratio</c>), round the width and height (half to even, as
/// Python's <c>round</c>) and keep the first box that fits, placed uniformly; when none fits, the central crop of the
/// largest box whose aspect ratio is clamped into <c>ratio</c>.
/// </summary>
public static class RandomResizedCropSampler
{
    /// <summary>Attempts before the central-crop fallback, as torchvision.</summary>
    public const int Attempts = 10;

    /// <summary>Draws a crop box of an image of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static CropBox Sample(ref SampleRandom random, int height, int width, SamplingRange scale, SamplingRange ratio)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Cannot crop a {height}x{width} image.");
        double area = (double)height * width;
        double logRatioMin = Math.Log(ratio.Min), logRatioMax = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double targetArea = area * random.NextDouble(scale.Min, scale.Max);
            double aspectRatio = Math.Exp(random.NextDouble(logRatioMin, logRatioMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspectRatio), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspectRatio), MidpointRounding.ToEven);
            if (0 < w && w <= width && 0 < h && h <= height)
            {
                int top = random.NextInt(height - h + 1);
                int left = random.NextInt(width - w + 1);
                return new CropBox(top, left, h, w);
            }
        }
        return CentralFallback(height, width, ratio);
    }

    /// <summary>The box torchvision takes when every attempt failed.</summary>
    public static CropBox CentralFallback(int height, int width, SamplingRange ratio)
    {
        double inRatio = (double)width / height;
        int w, h;
        if (inRatio < ratio.Min)
        {
            w = width;
            h = (int)Math.Round(w / ratio.Min, MidpointRounding.ToEven);
        }
        else if (inRatio > ratio.Max)
        {
            h = height;
            w = (int)Math.Round(h * ratio.Max, MidpointRounding.ToEven);
        }
        else
        {
            w = width;
            h = height;
        }
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }
}
