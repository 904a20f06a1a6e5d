using System;

namespace DinoCompiled.Visualization;

/// <summary>A perceptually ordered dark-to-bright colormap (stops sampled from matplotlib's "inferno").</summary>
public static class Colormap
{
    private static readonly (byte R, byte G, byte B)[] Stops =
    [
        (0, 0, 4), (40, 11, 84), (101, 21, 110), (159, 42, 99), (212, 72, 66), (245, 125, 21), (250, 193, 39), (252, 255, 164),
    ];

    /// <summary>The color of <paramref name="value"/> in [0, 1] (clamped), linearly between the stops.</summary>
    public static (byte R, byte G, byte B) Inferno(double value)
    {
        double x = Math.Clamp(double.IsNaN(value) ? 0 : value, 0, 1) * (Stops.Length - 1);
        int i = Math.Min((int)x, Stops.Length - 2);
        double f = x - i;
        var (a, b) = (Stops[i], Stops[i + 1]);
        return ((byte)Math.Round(a.R + (b.R - a.R) * f), (byte)Math.Round(a.G + (b.G - a.G) * f), (byte)Math.Round(a.B + (b.B - a.B) * f));
    }
}
