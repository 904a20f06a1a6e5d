using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace DinoCompiled.Plotting;

/// <summary>
/// A minimal PNG encoder (8-bit RGB, no filtering, zlib from the BCL), so the trainer's plots need no imaging
/// library. Written to a temporary file and renamed, so a reader never sees half a plot.
/// </summary>
public static class PngWriter
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>Writes <paramref name="rgb"/> (width × height × 3 bytes, rows top to bottom) as a PNG file.</summary>
    public static void Write(string path, int width, int height, ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length != width * height * 3) throw new ArgumentException($"Expected {width * height * 3} bytes of RGB, got {rgb.Length}.", nameof(rgb));
        var raw = new byte[(width * 3 + 1) * height];
        for (int y = 0; y < height; y++)
            rgb.Slice(y * width * 3, width * 3).CopyTo(raw.AsSpan(y * (width * 3 + 1) + 1)); // filter byte 0: none

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);

        string temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = 8; // bit depth
            header[9] = 2; // colour type: truecolour
            Chunk(file, "IHDR", header);
            Chunk(file, "IDAT", compressed.ToArray());
            Chunk(file, "IEND", Array.Empty<byte>());
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
