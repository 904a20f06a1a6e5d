using System;
using System.Globalization;

namespace DinoCompiled.Generator.Model;

/// <summary>Culture-independent text for numbers in messages and in generated code.</summary>
internal static class Formatting
{
    public static string Invariant(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A double as a C# literal that round-trips (<c>1E-06</c>, <c>0.1</c>, <c>4.0</c>).</summary>
    public static string DoubleLiteral(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    /// <summary>A number with thousands separators for people: 21,665,664.</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
