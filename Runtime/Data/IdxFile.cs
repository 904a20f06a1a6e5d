using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace DinoCompiled.Data;

/// <summary>
/// Reads one IDX file (the MNIST format: a big-endian magic 0x000008NN with data type 0x08 = unsigned byte and NN
/// dimensions, NN big-endian uint32 sizes, then the bytes), plain or gzip-compressed. Gzip is recognised by its magic
/// bytes (1F 8B), not by the file name. Everything is validated, the length exactly: a truncated download or a file
/// with trailing bytes is an error naming the file, never a silent partial dataset.
/// </summary>
internal sealed class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    private IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The sizes the header gives, outermost first (count, rows, columns for images).</summary>
    public int[] Dimensions { get; }

    /// <summary>The data after the header, exactly as long as the dimensions say.</summary>
    public byte[] Data { get; }

    /// <summary>Reads an IDX file of <paramref name="dimensionCount"/> dimensions; <paramref name="itemName"/> ("images") words the messages.</summary>
    /// <exception cref="DatasetException">The file is missing, unreadable or malformed.</exception>
    public static IdxFile Read(string path, int dimensionCount, string itemName)
    {
        if (Directory.Exists(path)) throw new DatasetException(path, "is a directory, not an IDX file");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            bool gzip = StartsWithGzipMagic(file);
            using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return ReadContent(path, content, gzip, dimensionCount, itemName);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DatasetException(path, "no such file", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatasetException(path, "cannot be read: permission denied", e);
        }
        catch (InvalidDataException e)
        {
            // GZipStream's complaint about a damaged stream.
            throw new DatasetException(path, "corrupt gzip data: " + FirstLine(e.Message), e);
        }
        catch (IOException e) when (e is not DatasetException)
        {
            throw new DatasetException(path, "cannot be read: " + FirstLine(e.Message), e);
        }
    }

    private static IdxFile ReadContent(string path, Stream content, bool gzip, int dimensionCount, string itemName)
    {
        string holds = gzip ? "decompresses to" : "holds";
        int headerLength = 4 + 4 * dimensionCount;
        var header = new byte[headerLength];
        int headerRead = ReadFully(content, header);
        if (headerRead < 4)
            throw new DatasetException(path, $"truncated: the file {holds} {headerRead} bytes, fewer than the 4 of an IDX magic number");

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        uint expectedMagic = (uint)(UnsignedByteType << 8 | dimensionCount);
        if (magic != expectedMagic)
            throw new DatasetException(path, $"not an IDX file of {itemName}: magic number 0x{magic:X8} (expected 0x{expectedMagic:X8})");
        if (headerRead < headerLength)
            throw new DatasetException(path, $"truncated: the file {holds} {headerRead} bytes, fewer than the {headerLength} of its IDX header");

        var dimensions = new int[dimensionCount];
        long itemBytes = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + 4 * d));
            if (size == 0 || size > int.MaxValue)
                throw new DatasetException(path, $"invalid header: {DescribeShape(header, dimensionCount, itemName)}");
            dimensions[d] = (int)size;
            itemBytes *= size;
            if (itemBytes > Array.MaxLength)
                throw new DatasetException(path, $"invalid header: {DescribeShape(header, dimensionCount, itemName)} would need {itemBytes}+ bytes, more than this reader holds in memory");
        }

        long expectedLength = headerLength + itemBytes;
        string shape = DescribeShape(header, dimensionCount, itemName);
        var data = new byte[itemBytes];
        int dataRead = ReadFully(content, data);
        if (dataRead < data.Length)
            throw new DatasetException(path, $"truncated: header says {shape} ({expectedLength} bytes) but the file {holds} {headerLength + (long)dataRead} bytes");

        long trailing = CountRemaining(content);
        if (trailing > 0)
            throw new DatasetException(path, $"trailing data: header says {shape} ({expectedLength} bytes) but the file {holds} {expectedLength + trailing} bytes");
        return new IdxFile(dimensions, data);
    }

    // "60000 images of 28x28" for images, "60000 labels" for labels.
    private static string DescribeShape(byte[] header, int dimensionCount, string itemName)
    {
        var sizes = new uint[dimensionCount];
        for (int d = 0; d < dimensionCount; d++) sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + 4 * d));
        string text = $"{sizes[0]} {itemName}";
        if (dimensionCount > 1) text += " of " + string.Join("x", sizes[1..]);
        return text;
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    private static long CountRemaining(Stream stream)
    {
        Span<byte> sink = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = stream.Read(sink)) > 0) total += read;
        return total;
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
