using System;

namespace DinoCompiled.Checkpoints;

/// <summary>Sizes and header names of <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypeExtensions
{
    /// <summary>The dtypes as listed in error messages.</summary>
    internal const string SupportedList = "F64, F32, F16, BF16, I64, U8";

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.U8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Whether <see cref="SafetensorsFile.ReadFloat32"/> can read (and convert) this dtype.</summary>
    public static bool IsFloatingPoint(this SafetensorsDType dtype) =>
        dtype is SafetensorsDType.F64 or SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16;

    /// <summary>The name in a header: <c>F32</c>, <c>BF16</c>.</summary>
    public static string HeaderName(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 => "F64",
        SafetensorsDType.F32 => "F32",
        SafetensorsDType.F16 => "F16",
        SafetensorsDType.BF16 => "BF16",
        SafetensorsDType.I64 => "I64",
        SafetensorsDType.U8 => "U8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    // Not Enum.TryParse: that also accepts "1", " f32" and other spellings a header must not use.
    internal static bool TryParseHeaderName(string name, out SafetensorsDType dtype)
    {
        foreach (var candidate in Enum.GetValues<SafetensorsDType>())
        {
            if (string.Equals(candidate.HeaderName(), name, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }
}
