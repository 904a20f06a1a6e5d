using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DinoCompiled.Plotting;

/// <summary>One panel of a chart: a title, series of (x, y) points, optional horizontal reference lines, drawn with axes and tick labels.</summary>
public sealed class LineChart
{
    private static readonly (byte, byte, byte) s_axis = (60, 60, 60), s_grid = (225, 225, 225);
    private readonly List<(string Name, (byte, byte, byte) Color, IReadOnlyList<(double X, double Y)> Points)> _series = new();
    private readonly List<(string Name, double Y, (byte, byte, byte) Color)> _references = new();

    /// <summary>A panel titled <paramref name="title"/>.</summary>
    public LineChart(string title) => Title = title;

    /// <summary>The title above the panel.</summary>
    public string Title { get; }

    /// <summary>Adds a series.</summary>
    public LineChart Series(string name, (byte, byte, byte) color, IReadOnlyList<(double X, double Y)> points)
    {
        _series.Add((name, color, points));
        return this;
    }

    /// <summary>Adds a dashed horizontal line (for ln K on the loss).</summary>
    public LineChart Reference(string name, double y, (byte, byte, byte) color)
    {
        _references.Add((name, y, color));
        return this;
    }

    /// <summary>Draws the panel into the rectangle (left, top, width, height) of <paramref name="canvas"/>.</summary>
    public void Draw(PixelCanvas canvas, int left, int top, int width, int height)
    {
        canvas.Text(left + 50, top + 4, Title, s_axis, 2);
        int x0 = left + 50, y0 = top + height - 30, x1 = left + width - 10, y1 = top + 28;
        var points = _series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToList();
        var ys = points.Select(p => p.Y).Concat(_references.Select(r => r.Y)).ToList();
        double minX = points.Count == 0 ? 0 : points.Min(p => p.X), maxX = points.Count == 0 ? 1 : points.Max(p => p.X);
        double minY = ys.Count == 0 ? 0 : ys.Min(), maxY = ys.Count == 0 ? 1 : ys.Max();
        if (maxX - minX < 1e-12) maxX = minX + 1;
        if (maxY - minY < 1e-12) { maxY += 0.5; minY -= 0.5; }
        double padding = (maxY - minY) * 0.08;
        minY -= padding;
        maxY += padding;
        int X(double x) => x0 + (int)Math.Round((x - minX) / (maxX - minX) * (x1 - x0));
        int Y(double y) => y0 - (int)Math.Round((y - minY) / (maxY - minY) * (y0 - y1));

        for (int i = 0; i <= 4; i++)
        {
            double y = minY + (maxY - minY) * i / 4;
            canvas.Line(x0, Y(y), x1, Y(y), s_grid);
            canvas.Text(left + 2, Y(y) - 3, y.ToString(Math.Abs(maxY) >= 10 ? "0.0" : "0.000", CultureInfo.InvariantCulture), s_axis);
        }
        int ticks = (int)Math.Min(10, Math.Round(maxX - minX));
        for (int i = 0; i <= Math.Max(1, ticks); i++)
        {
            double x = minX + (maxX - minX) * i / Math.Max(1, ticks);
            canvas.Text(X(x) - 3, y0 + 6, x.ToString("0.#", CultureInfo.InvariantCulture), s_axis);
        }
        canvas.Text((x0 + x1) / 2 - 15, y0 + 18, "EPOCH", s_axis);
        canvas.Line(x0, y0, x1, y0, s_axis);
        canvas.Line(x0, y0, x0, y1, s_axis);

        foreach (var (name, y, color) in _references)
        {
            canvas.Line(x0, Y(y), x1, Y(y), color, dashed: true);
            canvas.Text(x1 - 6 * name.Length - 2, Y(y) - 10, name, color);
        }
        int legend = 0;
        foreach (var (name, color, series) in _series)
        {
            for (int i = 1; i < series.Count; i++)
                if (double.IsFinite(series[i - 1].Y) && double.IsFinite(series[i].Y))
                    canvas.Line(X(series[i - 1].X), Y(series[i - 1].Y), X(series[i].X), Y(series[i].Y), color, thickness: 2);
            foreach (var (x, y) in series.Where(p => double.IsFinite(p.Y)))
                for (int a = -2; a <= 2; a++)
                    for (int b = -2; b <= 2; b++)
                        canvas.Set(X(x) + a, Y(y) + b, color);
            canvas.Text(x0 + 10, y1 + 4 + legend++ * 10, name, color);
        }
    }
}
