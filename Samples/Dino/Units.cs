using System.Globalization;

namespace DinoCompiled.Cli;

/// <summary>Numbers for people: 21,665,664; 22.4 M; 9.20 GFLOPs; 176.1 MB.</summary>
public static class Units
{
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(long value) =>
        value >= 1_000_000 ? (value / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " M" :
        value >= 1_000 ? (value / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k" :
        value.ToString(CultureInfo.InvariantCulture);

    public static string Flops(long flops) =>
        flops >= 1_000_000_000 ? (flops / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " GFLOPs" :
        (flops / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " MFLOPs";

    public static string Bytes(long bytes) =>
        bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB" :
        (bytes / (double)(1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
