using System;

namespace DinoCompiled.Data;

/// <summary>
/// Pillow's uint8 RGB↔HSV conversions (<c>rgb2hsv_row</c> and <c>hsv2rgb</c> in Convert.c), which torchvision's
/// <c>adjust_hue</c> runs on PIL images; the float/double steps are those of the C code, so the bytes agree.
/// </summary>
internal static class PillowHsv
{
    public static void RgbToHsv(byte r, byte g, byte b, out byte h, out byte s, out byte v)
    {
        byte max = Math.Max(r, Math.Max(g, b));
        byte min = Math.Min(r, Math.Min(g, b));
        v = max;
        if (min == max)
        {
            h = 0;
            s = 0;
            return;
        }
        float range = max - min;
        float saturation = range / max;
        float rc = (max - r) / range;
        float gc = (max - g) / range;
        float bc = (max - b) / range;
        float hue;
        if (r == max) hue = bc - gc;
        else if (g == max) hue = (float)(2.0 + rc - bc);
        else hue = (float)(4.0 + gc - rc);
        hue = (float)((hue / 6.0 + 1.0) % 1.0);
        h = Clip8((int)(hue * 255.0));
        s = Clip8((int)(saturation * 255.0));
    }

    public static void HsvToRgb(byte h, byte s, byte v, out byte r, out byte g, out byte b)
    {
        if (s == 0)
        {
            r = g = b = v;
            return;
        }
        int sector = (int)Math.Floor(h * 6.0 / 255.0);
        float fraction = (float)(h * 6.0 / 255.0 - sector);
        float fs = (float)(s / 255.0);
        byte p = Clip8(RoundC(v * (1.0 - fs)));
        byte q = Clip8(RoundC(v * (1.0 - fs * fraction)));
        byte t = Clip8(RoundC(v * (1.0 - fs * (1.0 - fraction))));
        switch (sector % 6)
        {
            case 0: (r, g, b) = (v, t, p); break;
            case 1: (r, g, b) = (q, v, p); break;
            case 2: (r, g, b) = (p, v, t); break;
            case 3: (r, g, b) = (p, q, v); break;
            case 4: (r, g, b) = (t, p, v); break;
            default: (r, g, b) = (v, p, q); break;
        }
    }

    // C's round(): halves away from zero.
    private static int RoundC(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);

    private static byte Clip8(int x) => (byte)Math.Clamp(x, 0, 255);
}
