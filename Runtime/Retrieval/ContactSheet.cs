using System;
using System.Collections.Generic;
using DinoCompiled.Plotting;
using DinoCompiled.Visualization;

namespace DinoCompiled.Retrieval;

/// <summary>
/// The picture of <c>dino retrieve</c>: the query, then its neighbours best first, one row, each tile crop × scale
/// pixels (scale = ⌈96 / crop⌉) under a label strip (QUERY; rank and cosine similarity); width = (1 + k) × tile +
/// (2 + k) × gap, height = label + tile + 2 × gap.
/// </summary>
public sealed class ContactSheet
{
    private readonly int _channels, _crop;
    private readonly List<(byte[] Pixels, string Label)> _tiles = new();

    /// <summary>A sheet of images of <paramref name="channels"/> × <paramref name="crop"/>² pixels.</summary>
    public ContactSheet(int channels, int crop)
    {
        (_channels, _crop) = (channels, crop);
        Scale = (96 + crop - 1) / crop;
    }

    /// <summary>Screen pixels per image pixel.</summary>
    public int Scale { get; }

    /// <summary>Side of a tile.</summary>
    public int Tile => _crop * Scale;

    /// <summary>Adds the next tile.</summary>
    public void Add(byte[] pixels, string label)
    {
        if (pixels.Length != _channels * _crop * _crop) throw new ArgumentException($"An image is {_channels * _crop * _crop} bytes, not {pixels.Length}.", nameof(pixels));
        _tiles.Add((pixels, label));
    }

    /// <summary>Draws the tiles in a row.</summary>
    public PixelCanvas Render()
    {
        int gap = AttentionSheet.Gap, label = AttentionSheet.LabelHeight;
        var canvas = new PixelCanvas(_tiles.Count * Tile + (_tiles.Count + 1) * gap, label + Tile + 2 * gap);
        var ink = ((byte)40, (byte)40, (byte)40);
        for (int i = 0; i < _tiles.Count; i++)
        {
            int x = gap + i * (Tile + gap);
            string text = _tiles[i].Label;
            canvas.Text(x, gap + 1, text.Length * 6 <= Tile ? text : text[..Math.Max(1, Tile / 6)], ink);
            ImageTile.Image(canvas, x, gap + label, _tiles[i].Pixels, _channels, _crop, Scale);
        }
        return canvas;
    }
}
