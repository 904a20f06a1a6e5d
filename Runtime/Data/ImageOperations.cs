using System;

namespace DinoCompiled.Data;

/// <summary>
/// The geometric and tone operations of the DINO crops on uint8 planar images ([channels, height, width]), with the
/// results Pillow gives on the reference's PIL images.
/// </summary>
public static class ImageOperations
{
    /// <summary>Solarize's threshold: values at or above it are inverted (Pillow's <c>ImageOps.solarize</c> default).</summary>
    public const int SolarizeThreshold = 128;

    /// <summary>Mirrors every row (torchvision's <c>hflip</c>).</summary>
    public static void FlipHorizontal(Span<byte> image, int channels, int height, int width)
    {
        CheckLength(image, channels, height, width);
        for (int row = 0; row < channels * height; row++) image.Slice(row * width, width).Reverse();
    }

    /// <summary>v ≥ 128 becomes 255 − v (Pillow's <c>ImageOps.solarize(img, 128)</c>).</summary>
    public static void Solarize(Span<byte> image)
    {
        for (int i = 0; i < image.Length; i++)
            if (image[i] >= SolarizeThreshold) image[i] = (byte)(255 - image[i]);
    }

    /// <summary>
    /// Replaces each channel by the pixel's luma, keeping the channel count (torchvision's <c>rgb_to_grayscale</c> with
    /// <c>num_output_channels</c> equal to the input's). A 1-channel image is gray already and stays as it is.
    /// </summary>
    public static void ToGrayscale(Span<byte> image, int channels, int height, int width)
    {
        CheckLength(image, channels, height, width);
        if (channels == 1) return;
        int plane = height * width;
        var red = image[..plane];
        var green = image.Slice(plane, plane);
        var blue = image.Slice(2 * plane, plane);
        for (int i = 0; i < plane; i++)
        {
            byte gray = Luma(red[i], green[i], blue[i]);
            red[i] = gray;
            green[i] = gray;
            blue[i] = gray;
        }
    }

    /// <summary>Pillow's RGB→L conversion: (299 R + 587 G + 114 B) / 1000 in 16-bit fixed point, rounded.</summary>
    public static byte Luma(byte red, byte green, byte blue) => (byte)((red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16);

    internal static void CheckLength(ReadOnlySpan<byte> image, int channels, int height, int width)
    {
        if (image.Length != channels * height * width)
            throw new ArgumentException($"A {channels}x{height}x{width} image is {channels * height * width} bytes; the span holds {image.Length}.", nameof(image));
    }
}
