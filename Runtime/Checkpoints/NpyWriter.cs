// NumPy's .npy format, version 1.0 (numpy/lib/format.py): the magic "\x93NUMPY", the version bytes 1 0, a
// little-endian uint16 header length, then an ASCII Python dict literal padded with spaces and ended by '\n' so that
// the data starts at a multiple of 64 bytes (what numpy itself writes), then the raw little-endian data in C order.
using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace DinoCompiled.Checkpoints;

/// <summary>Writes float32 arrays as NumPy <c>.npy</c> files (<c>numpy.load</c> reads them with their shape, dtype float32).</summary>
public static class NpyWriter
{
    /// <summary>The data starts at a multiple of this many bytes, as numpy writes it.</summary>
    public const int Alignment = 64;

    /// <summary>The bytes before the data for a float32 array of shape (<paramref name="rows"/>, <paramref name="columns"/>).</summary>
    public static byte[] Header(long rows, long columns) => Header([rows, columns]);

    /// <summary>The bytes before the data for a float32 array of <paramref name="shape"/> (C order).</summary>
    public static byte[] Header(ReadOnlySpan<long> shape)
    {
        if (shape.Length == 0) throw new ArgumentException("An array needs at least one dimension.", nameof(shape));
        var dims = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shape[i], nameof(shape));
            dims[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }
        // Python writes a one-element tuple as (n,).
        string tuple = shape.Length == 1 ? dims[0] + "," : string.Join(", ", dims);
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({tuple}), }}";
        const int prefix = 10; // magic (6) + version (2) + header length (2)
        int total = (prefix + dict.Length + 1 + Alignment - 1) / Alignment * Alignment;
        var header = new byte[total];
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), checked((ushort)(total - prefix)));
        int written = Encoding.ASCII.GetBytes(dict, header.AsSpan(prefix));
        header.AsSpan(prefix + written, total - prefix - written - 1).Fill((byte)' ');
        header[total - 1] = (byte)'\n';
        return header;
    }

    /// <summary>
    /// Writes <paramref name="data"/> (row-major, <paramref name="rows"/> × <paramref name="columns"/>) to
    /// <paramref name="path"/> atomically: a temporary file beside it, flushed to disk, then renamed over it, so a
    /// failure leaves a previous file there as it was.
    /// </summary>
    /// <exception cref="ArgumentException">The data's length is not rows × columns.</exception>
    /// <exception cref="IOException">The file could not be written; the message names it.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if ((long)rows * columns != data.Length || rows < 0 || columns < 0)
            throw new ArgumentException($"{path}: {data.Length} floats do not make a {rows} × {columns} matrix.", nameof(data));
        using var file = new NpyFileWriter(path, [rows, columns]);
        file.Append(data);
        file.Commit();
    }
}
