using System;
using System.Collections.Generic;
using DinoCompiled.Plotting;

namespace DinoCompiled.Visualization;

/// <summary>
/// The DINOv2 picture of dense features: the first principal component of every patch of every image separates
/// foreground from background (its sign chosen so that the patches on the image borders, mostly background, lie low;
/// foreground = above <see cref="ForegroundThreshold"/>); a second PCA on the foreground patches alone gives three
/// components, each scaled to [0, 1] over the foreground, shown as RGB; the background is black. Without the
/// separation every patch takes part and is colored.
/// Layout: per image two tiles side by side, the image and its PCA colors, <see cref="Columns"/> images per row;
/// tiles crop × scale pixels (scale = ⌈96 / crop⌉) with a label strip above; width = columns × 2 × tile +
/// (2 × columns + 1) × gap, height = rows × (label + tile + gap) + gap.
/// </summary>
public sealed class PatchPcaSheet
{
    /// <summary>Pixels between tiles and around the picture.</summary>
    public const int Gap = AttentionSheet.Gap;

    /// <summary>Pixels of the label strip above each row.</summary>
    public const int LabelHeight = AttentionSheet.LabelHeight;

    /// <summary>Images per row at most.</summary>
    public const int MaxColumns = 4;

    private readonly int _channels, _crop, _grid, _dim;
    private readonly List<(byte[] Pixels, float[] Patches, string Name)> _images = new();

    /// <summary>A sheet for images of <paramref name="channels"/> × <paramref name="crop"/>² pixels on <paramref name="patch"/>-pixel patches of <paramref name="dim"/> features.</summary>
    public PatchPcaSheet(int channels, int crop, int patch, int dim)
    {
        if (crop % patch != 0) throw new ArgumentException($"The crop {crop} is not a multiple of the patch {patch}.", nameof(patch));
        (_channels, _crop, _grid, _dim) = (channels, crop, crop / patch, dim);
        Scale = (96 + crop - 1) / crop;
    }

    /// <summary>Where the first component (in units of its standard deviation) splits foreground from background.</summary>
    public double ForegroundThreshold { get; init; }

    /// <summary>Whether to separate the foreground (the DINOv2 figures do); false colors every patch.</summary>
    public bool SeparateForeground { get; init; } = true;

    /// <summary>Screen pixels per image pixel.</summary>
    public int Scale { get; }

    /// <summary>Side of a tile.</summary>
    public int Tile => _crop * Scale;

    /// <summary>Images per row for the images added.</summary>
    public int Columns => Math.Clamp(_images.Count, 1, MaxColumns);

    /// <summary>The picture's width for the images added.</summary>
    public int Width => Columns * 2 * Tile + (2 * Columns + 1) * Gap;

    /// <summary>The picture's height for the images added.</summary>
    public int Height => (_images.Count + Columns - 1) / Columns * (LabelHeight + Tile + Gap) + Gap;

    /// <summary>The share of patches taken as foreground by the last <see cref="Render"/>.</summary>
    public double ForegroundShare { get; private set; }

    /// <summary>Adds an image (planar pixels at the crop) and its patch features [patches, dim] (CLS excluded).</summary>
    public void Add(byte[] pixels, float[] patches, string name)
    {
        if (pixels.Length != _channels * _crop * _crop) throw new ArgumentException($"An image is {_channels * _crop * _crop} bytes, not {pixels.Length}.", nameof(pixels));
        if (patches.Length != _grid * _grid * _dim) throw new ArgumentException($"Need {_grid * _grid} patches of {_dim} features.", nameof(patches));
        _images.Add((pixels, patches, name));
    }

    /// <summary>The RGB color of every patch of every image [images × patches] (black for background), as drawn.</summary>
    public (byte R, byte G, byte B)[] PatchColors()
    {
        int patches = _grid * _grid, n = _images.Count * patches;
        var all = new float[(long)n * _dim];
        for (int i = 0; i < _images.Count; i++) _images[i].Patches.CopyTo(all, (long)i * patches * _dim);

        var foreground = new bool[n];
        Array.Fill(foreground, true);
        if (SeparateForeground)
        {
            var first = PrincipalComponents.Fit(all, _dim, 1);
            var c1 = first.Project(all);
            double std = Math.Sqrt(Math.Max(first.Variances[0], 1e-30));
            double border = 0, everything = 0;
            int borderCount = 0;
            for (int p = 0; p < n; p++)
            {
                everything += c1[p];
                int cell = p % patches, y = cell / _grid, x = cell % _grid;
                if (x == 0 || y == 0 || x == _grid - 1 || y == _grid - 1) { border += c1[p]; borderCount++; }
            }
            double sign = borderCount > 0 && border / borderCount > everything / n ? -1 : 1;
            int kept = 0;
            for (int p = 0; p < n; p++) kept += (foreground[p] = sign * c1[p] / std > ForegroundThreshold) ? 1 : 0;
            // Too few foreground patches for three components: color everything rather than nothing.
            if (kept < 4) Array.Fill(foreground, true);
        }
        int used = 0;
        foreach (bool f in foreground) used += f ? 1 : 0;
        ForegroundShare = (double)used / n;

        var pca = PrincipalComponents.Fit(all, _dim, Math.Min(3, _dim), foreground);
        var coordinates = pca.Project(all);
        int k = pca.Components.Length;
        var low = new double[k];
        var high = new double[k];
        Array.Fill(low, double.PositiveInfinity);
        Array.Fill(high, double.NegativeInfinity);
        for (int p = 0; p < n; p++)
            if (foreground[p])
                for (int c = 0; c < k; c++) (low[c], high[c]) = (Math.Min(low[c], coordinates[p * k + c]), Math.Max(high[c], coordinates[p * k + c]));
        var colors = new (byte, byte, byte)[n];
        for (int p = 0; p < n; p++)
        {
            if (!foreground[p]) continue;
            byte Channel(int c) => c >= k || high[c] <= low[c] ? (byte)0 : (byte)Math.Round(255 * (coordinates[p * k + c] - low[c]) / (high[c] - low[c]));
            colors[p] = (Channel(0), Channel(1), Channel(2));
        }
        return colors;
    }

    /// <summary>Draws every image added beside its PCA colors.</summary>
    public PixelCanvas Render()
    {
        if (_images.Count == 0) throw new InvalidOperationException("Add at least one image.");
        var colors = PatchColors();
        int patches = _grid * _grid;
        var canvas = new PixelCanvas(Width, Height);
        var ink = ((byte)40, (byte)40, (byte)40);
        for (int i = 0; i < _images.Count; i++)
        {
            var (pixels, _, name) = _images[i];
            int row = i / Columns, column = i % Columns;
            int x = Gap + column * 2 * (Tile + Gap), y = Gap + row * (LabelHeight + Tile + Gap);
            canvas.Text(x, y + 1, name.Length * 6 <= 2 * Tile ? name : name[..Math.Max(1, 2 * Tile / 6)], ink);
            ImageTile.Image(canvas, x, y + LabelHeight, pixels, _channels, _crop, Scale);
            int offset = i * patches;
            ImageTile.Overlay(canvas, x + Tile + Gap, y + LabelHeight, pixels, _channels, _crop, Scale, _grid, cell => (colors[offset + cell], 1.0));
        }
        return canvas;
    }
}
