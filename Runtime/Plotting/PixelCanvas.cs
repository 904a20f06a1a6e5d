using System;

namespace DinoCompiled.Plotting;

/// <summary>An RGB raster with the few primitives a line chart needs: fill, lines, dashed lines and text.</summary>
public sealed class PixelCanvas
{
    private readonly byte[] _rgb;

    /// <summary>A white canvas.</summary>
    public PixelCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
        Array.Fill(_rgb, (byte)255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, RGB, rows top to bottom.</summary>
    public ReadOnlySpan<byte> Pixels => _rgb;

    /// <summary>Sets one pixel (outside the canvas is ignored).</summary>
    public void Set(int x, int y, (byte R, byte G, byte B) color)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height) return;
        int i = (y * Width + x) * 3;
        _rgb[i] = color.R;
        _rgb[i + 1] = color.G;
        _rgb[i + 2] = color.B;
    }

    /// <summary>A line (Bresenham), <paramref name="thickness"/> pixels wide; every other run of 4 pixels skipped when dashed.</summary>
    public void Line(int x0, int y0, int x1, int y1, (byte, byte, byte) color, int thickness = 1, bool dashed = false)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, error = dx + dy, step = 0;
        while (true)
        {
            if (!dashed || (step++ / 4) % 2 == 0)
                for (int t = 0; t < thickness; t++)
                {
                    Set(x0, y0 + t, color);
                    Set(x0 + t, y0, color);
                }
            if (x0 == x1 && y0 == y1) return;
            int e2 = 2 * error;
            if (e2 >= dy) { error += dy; x0 += sx; }
            if (e2 <= dx) { error += dx; y0 += sy; }
        }
    }

    /// <summary>Text in the 5×7 font with its top-left corner at (x, y), scaled by <paramref name="scale"/>.</summary>
    public void Text(int x, int y, string text, (byte, byte, byte) color, int scale = 1)
    {
        foreach (char c in text)
        {
            var glyph = TinyFont.Glyph(c);
            if (glyph is not null)
                for (int row = 0; row < TinyFont.Height; row++)
                    for (int col = 0; col < TinyFont.Width; col++)
                        if ((glyph[row] & (1 << (TinyFont.Width - 1 - col))) != 0)
                            for (int a = 0; a < scale; a++)
                                for (int b = 0; b < scale; b++)
                                    Set(x + col * scale + a, y + row * scale + b, color);
            x += (TinyFont.Width + 1) * scale;
        }
    }

    /// <summary>Writes the canvas as a PNG file.</summary>
    public void Save(string path) => PngWriter.Write(path, Width, Height, _rgb);
}
