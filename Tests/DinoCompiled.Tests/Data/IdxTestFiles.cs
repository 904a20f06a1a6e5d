using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace DinoCompiled.Tests.Data;

/// <summary>Writes small IDX files (plain or gzip) for the reader's tests, including deliberately damaged ones.</summary>
internal static class IdxTestFiles
{
    public static byte[] ImageFileBytes(int count, int rows, int columns, byte[] pixels)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000803);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)count);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)rows);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), (uint)columns);
        pixels.CopyTo(bytes, 16);
        return bytes;
    }

    public static byte[] LabelFileBytes(byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000801);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(content);
        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, gzip-compressed when asked; returns the path.</summary>
    public static string Write(string path, byte[] content, bool gzip)
    {
        File.WriteAllBytes(path, gzip ? Gzip(content) : content);
        return path;
    }

    /// <summary>
    /// A split of <paramref name="count"/> random 28×28 images labelled i mod 10, as <c>{prefix}-images-idx3-ubyte</c> and
    /// <c>{prefix}-labels-idx1-ubyte</c> in <paramref name="directory"/> (prefix train or t10k).
    /// </summary>
    public static void WriteRandomSplit(string directory, string prefix, int count, Random random)
    {
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % 10);
        Write(Path.Combine(directory, prefix + "-images-idx3-ubyte"), ImageFileBytes(count, 28, 28, pixels), gzip: false);
        Write(Path.Combine(directory, prefix + "-labels-idx1-ubyte"), LabelFileBytes(labels), gzip: false);
    }

    /// <summary>Pixels where image i, pixel p holds (7i + p) mod 256, so every image differs.</summary>
    public static byte[] PatternPixels(int count, int rows, int columns)
    {
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < rows * columns; p++)
                pixels[i * rows * columns + p] = (byte)((7 * i + p) % 256);
        return pixels;
    }
}
