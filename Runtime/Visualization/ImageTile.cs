using System;
using DinoCompiled.Plotting;

namespace DinoCompiled.Visualization;

/// <summary>Draws images and patch maps onto a canvas as square tiles, each pixel of the image a scale × scale block.</summary>
public static class ImageTile
{
    /// <summary>The image <paramref name="pixels"/> (planar, 1 or 3 channels, size × size) at (x, y).</summary>
    public static void Image(PixelCanvas canvas, int x, int y, ReadOnlySpan<byte> pixels, int channels, int size, int scale)
    {
        for (int py = 0; py < size * scale; py++)
            for (int px = 0; px < size * scale; px++)
                canvas.Set(x + px, y + py, Pixel(pixels, channels, size, px / scale, py / scale));
    }

    /// <summary>
    /// A patch map (grid × grid cells, row-major) over the image: each cell's color and opacity from
    /// <paramref name="cell"/>, blended with the image (nearest-neighbour upsampling, as the reference's
    /// <c>interpolate(scale_factor=patch, mode="nearest")</c>).
    /// </summary>
    public static void Overlay(PixelCanvas canvas, int x, int y, ReadOnlySpan<byte> pixels, int channels, int size, int scale, int grid,
        Func<int, ((byte R, byte G, byte B) Color, double Opacity)> cell)
    {
        int patch = size / grid;
        for (int py = 0; py < size * scale; py++)
            for (int px = 0; px < size * scale; px++)
            {
                int ix = px / scale, iy = py / scale;
                var (r, g, b) = Pixel(pixels, channels, size, ix, iy);
                var (c, opacity) = cell(Math.Min(iy / patch, grid - 1) * grid + Math.Min(ix / patch, grid - 1));
                canvas.Set(x + px, y + py, (Blend(r, c.R, opacity), Blend(g, c.G, opacity), Blend(b, c.B, opacity)));
            }
    }

    private static (byte R, byte G, byte B) Pixel(ReadOnlySpan<byte> pixels, int channels, int size, int x, int y)
    {
        int plane = size * size, i = y * size + x;
        return channels == 1 ? (pixels[i], pixels[i], pixels[i]) : (pixels[i], pixels[plane + i], pixels[2 * plane + i]);
    }

    private static byte Blend(byte under, byte over, double opacity) => (byte)Math.Round(under * (1 - opacity) + over * opacity);
}
