using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>Builds safetensors files byte by byte, to write the malformed and hand-made ones the writer refuses to.</summary>
internal static class RawSafetensors
{
    /// <summary>Writes an 8-byte length, <paramref name="headerJson"/> as UTF-8 (length as given, no padding), then <paramref name="data"/>.</summary>
    public static string Write(string path, string headerJson, byte[]? data = null, ulong? headerLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        return Write(path, header, data, headerLength);
    }

    /// <summary>As <see cref="Write(string, string, byte[], ulong?)"/>, with the header's raw bytes.</summary>
    public static string Write(string path, byte[] header, byte[]? data = null, ulong? headerLength = null)
    {
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLength ?? (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        stream.Write(data ?? Array.Empty<byte>());
        return path;
    }

    /// <summary>A header describing one tensor: <c>{"name":{"dtype":..,"shape":..,"data_offsets":..}}</c>.</summary>
    public static string OneTensor(string name, string dtype, string shape, long begin, long end) =>
        $$$"""{"{{{name}}}":{"dtype":"{{{dtype}}}","shape":{{{shape}}},"data_offsets":[{{{begin}}},{{{end}}}]}}""";
}
