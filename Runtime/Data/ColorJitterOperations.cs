using System;

namespace DinoCompiled.Data;

/// <summary>
/// The four colour-jitter adjustments on uint8 planar images, as torchvision runs them on PIL images: brightness,
/// contrast and saturation are Pillow's <c>ImageEnhance</c> (a blend of the image with a "degenerate" image: black,
/// the mean gray, the pixel's own gray), hue shifts the H byte of Pillow's HSV with uint8 wrap-around.
/// On 1-channel images saturation and hue change nothing, as on a PIL "L" image.
/// </summary>
public static class ColorJitterOperations
{
    /// <summary>Scales every value by <paramref name="factor"/> (blend with black).</summary>
    public static void AdjustBrightness(Span<byte> image, float factor)
    {
        for (int i = 0; i < image.Length; i++) image[i] = Blend(0, image[i], factor);
    }

    /// <summary>Blends with the image's mean gray level (rounded to an integer, as Pillow), by <paramref name="factor"/>.</summary>
    public static void AdjustContrast(Span<byte> image, int channels, int height, int width, float factor)
    {
        ImageOperations.CheckLength(image, channels, height, width);
        int plane = height * width;
        long sum = 0;
        if (channels == 1)
        {
            foreach (byte v in image) sum += v;
        }
        else
        {
            for (int i = 0; i < plane; i++) sum += ImageOperations.Luma(image[i], image[plane + i], image[2 * plane + i]);
        }
        byte mean = (byte)(int)((double)sum / plane + 0.5);
        for (int i = 0; i < image.Length; i++) image[i] = Blend(mean, image[i], factor);
    }

    /// <summary>Blends each pixel with its own gray (luma) by <paramref name="factor"/>; nothing on 1 channel.</summary>
    public static void AdjustSaturation(Span<byte> image, int channels, int height, int width, float factor)
    {
        ImageOperations.CheckLength(image, channels, height, width);
        if (channels == 1) return;
        int plane = height * width;
        for (int i = 0; i < plane; i++)
        {
            byte gray = ImageOperations.Luma(image[i], image[plane + i], image[2 * plane + i]);
            image[i] = Blend(gray, image[i], factor);
            image[plane + i] = Blend(gray, image[plane + i], factor);
            image[2 * plane + i] = Blend(gray, image[2 * plane + i], factor);
        }
    }

    /// <summary>
    /// Rotates the hue by <paramref name="hueShift"/> of a turn (in [−0.5, 0.5]): the H byte gains
    /// uint8(hueShift·255), wrapping, as torchvision's <c>adjust_hue</c>; nothing on 1 channel.
    /// </summary>
    public static void AdjustHue(Span<byte> image, int channels, int height, int width, float hueShift)
    {
        ImageOperations.CheckLength(image, channels, height, width);
        if (channels == 1) return;
        // torchvision multiplies in double; numpy's float→uint8 cast truncates toward zero and wraps negatives (−12.7 → 244).
        byte shift = unchecked((byte)(int)((double)hueShift * 255));
        int plane = height * width;
        for (int i = 0; i < plane; i++)
        {
            PillowHsv.RgbToHsv(image[i], image[plane + i], image[2 * plane + i], out byte h, out byte s, out byte v);
            PillowHsv.HsvToRgb(unchecked((byte)(h + shift)), s, v, out image[i], out image[plane + i], out image[2 * plane + i]);
        }
    }

    /// <summary>
    /// Pillow's <c>ImagingBlend</c> of one value: degenerate + factor·(value − degenerate) in float, clipped to [0, 255]
    /// and truncated (not rounded) to a byte.
    /// </summary>
    public static byte Blend(byte degenerate, byte value, float factor)
    {
        float blended = degenerate + factor * (value - degenerate);
        if (blended <= 0) return 0;
        if (blended >= 255) return 255;
        return (byte)blended;
    }
}
