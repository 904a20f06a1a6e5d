using System;
using System.Collections.Generic;
using DinoCompiled.Plotting;

namespace DinoCompiled.Visualization;

/// <summary>
/// The attention picture of <c>dino attention</c>: per image a row of tiles, the image, then the CLS attention of each
/// head, then the mean over heads, each map drawn over the image in the inferno colormap (scaled from its own minimum to its maximum);
/// with a threshold, a second row shows per head the patches holding that share of the attention mass (the others
/// darkened). Every tile is crop × scale pixels square (scale = ⌈96 / crop⌉, so small crops stay visible), with a
/// label strip of <see cref="LabelHeight"/> pixels above each row and <see cref="Gap"/> pixels between tiles:
/// width = (heads + 2) × tile + (heads + 3) × gap; height = rows × (label + tile + gap) + gap.
/// </summary>
public sealed class AttentionSheet
{
    /// <summary>Pixels between tiles and around the picture.</summary>
    public const int Gap = 4;

    /// <summary>Pixels of the label strip above each row of tiles.</summary>
    public const int LabelHeight = 10;
    private const double MapOpacity = 0.65;
    private static readonly (byte, byte, byte) Kept = (255, 220, 0), Dropped = (0, 0, 0);

    private readonly int _channels, _crop, _grid, _heads;
    private readonly double? _threshold;
    private readonly List<(byte[] Pixels, float[][] Maps, string Name)> _images = new();

    /// <summary>A sheet for images of <paramref name="channels"/> × <paramref name="crop"/>² pixels, <paramref name="heads"/> heads on <paramref name="patch"/>-pixel patches.</summary>
    /// <param name="channels">1 or 3.</param>
    /// <param name="crop">The image side the backbone ran at.</param>
    /// <param name="patch">The patch side.</param>
    /// <param name="heads">Heads of the block shown.</param>
    /// <param name="threshold">The share of attention mass the mask rows keep (the reference uses 0.6), or null for no mask rows.</param>
    public AttentionSheet(int channels, int crop, int patch, int heads, double? threshold)
    {
        if (crop % patch != 0) throw new ArgumentException($"The crop {crop} is not a multiple of the patch {patch}.", nameof(patch));
        if (threshold is double t && !(t > 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), t, "The threshold is a share of the attention mass in (0, 1].");
        (_channels, _crop, _grid, _heads, _threshold) = (channels, crop, crop / patch, heads, threshold);
        Scale = (96 + crop - 1) / crop;
    }

    /// <summary>Screen pixels per image pixel.</summary>
    public int Scale { get; }

    /// <summary>Side of one tile in pixels.</summary>
    public int Tile => _crop * Scale;

    /// <summary>Rows of tiles per image.</summary>
    public int RowsPerImage => _threshold is null ? 1 : 2;

    /// <summary>The picture's width for this model.</summary>
    public int Width => (_heads + 2) * Tile + (_heads + 3) * Gap;

    /// <summary>The picture's height for <paramref name="images"/> images.</summary>
    public int HeightFor(int images) => images * RowsPerImage * (LabelHeight + Tile + Gap) + Gap;

    /// <summary>Adds an image (planar pixels at the crop) and its per-head CLS attention maps [heads][patches].</summary>
    public void Add(byte[] pixels, float[][] maps, string name)
    {
        if (pixels.Length != _channels * _crop * _crop) throw new ArgumentException($"An image is {_channels * _crop * _crop} bytes, not {pixels.Length}.", nameof(pixels));
        if (maps.Length != _heads || Array.Exists(maps, m => m.Length != _grid * _grid))
            throw new ArgumentException($"Need {_heads} maps of {_grid * _grid} patches.", nameof(maps));
        _images.Add((pixels, maps, name));
    }

    /// <summary>Draws every image added.</summary>
    public PixelCanvas Render()
    {
        var canvas = new PixelCanvas(Width, HeightFor(_images.Count));
        int y = Gap;
        foreach (var (pixels, maps, name) in _images)
        {
            var all = new float[_heads + 1][];
            Array.Copy(maps, all, _heads);
            all[_heads] = ClassAttention.Mean(maps);
            Labels(canvas, y, name);
            ImageTile.Image(canvas, Gap, y + LabelHeight, pixels, _channels, _crop, Scale);
            for (int h = 0; h <= _heads; h++)
            {
                var map = all[h];
                // From its own minimum to its maximum, as matplotlib's imsave scales the reference's maps.
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                foreach (float v in map) (min, max) = (Math.Min(min, v), Math.Max(max, v));
                float range = max - min;
                ImageTile.Overlay(canvas, Column(h + 1), y + LabelHeight, pixels, _channels, _crop, Scale, _grid,
                    cell => (Colormap.Inferno(range > 0 ? (map[cell] - min) / range : 0), MapOpacity));
            }
            y += LabelHeight + Tile + Gap;
            if (_threshold is not double threshold) continue;

            Labels(canvas, y, $"KEEP {threshold:0.##}");
            ImageTile.Image(canvas, Gap, y + LabelHeight, pixels, _channels, _crop, Scale);
            for (int h = 0; h <= _heads; h++)
            {
                var mask = ClassAttention.Mask(all[h], threshold);
                ImageTile.Overlay(canvas, Column(h + 1), y + LabelHeight, pixels, _channels, _crop, Scale, _grid,
                    cell => mask[cell] ? (Kept, 0.25) : (Dropped, 0.8));
            }
            y += LabelHeight + Tile + Gap;
        }
        return canvas;
    }

    private int Column(int index) => Gap + index * (Tile + Gap);

    private void Labels(PixelCanvas canvas, int y, string first)
    {
        var ink = ((byte)40, (byte)40, (byte)40);
        canvas.Text(Column(0), y + 1, Fit(first), ink);
        for (int h = 0; h < _heads; h++) canvas.Text(Column(h + 1), y + 1, Fit("HEAD " + h), ink);
        canvas.Text(Column(_heads + 1), y + 1, "MEAN", ink);
    }

    // TinyFont glyphs are 5 pixels wide plus a space: as many characters as the tile holds.
    private string Fit(string text) => text.Length * 6 <= Tile ? text : text[..Math.Max(1, Tile / 6)];
}
