// The protobuf wire format, as much of it as an ONNX model needs: varints, length-delimited
// fields (strings, bytes, nested messages) and packed int64s. Nested messages are encoded to
// bytes first (Encode) because their length precedes them; only the large weight payloads are
// streamed, through WriteLengthPrefix, so a model is never held twice in memory.
using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace DinoCompiled.Onnx;

/// <summary>Writes protobuf fields to a stream.</summary>
internal sealed class ProtobufWriter
{
    private const int VarintWire = 0;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    private readonly Stream _stream;

    /// <summary>Writes to <paramref name="stream"/>.</summary>
    public ProtobufWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>The bytes of one message, written by <paramref name="write"/>: what a nested field holds.</summary>
    public static byte[] Encode(Action<ProtobufWriter> write)
    {
        using var buffer = new MemoryStream();
        write(new ProtobufWriter(buffer));
        return buffer.ToArray();
    }

    /// <summary>Bytes of <paramref name="value"/> as a varint.</summary>
    public static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Bytes of a length-delimited field's tag and length prefix.</summary>
    public static long LengthPrefixSize(int field, long length) =>
        VarintSize(Tag(field, LengthDelimitedWire)) + VarintSize((ulong)length);

    /// <summary>An int64 (or int32, or enum) field. Negative values take ten bytes, as protobuf's two's complement does.</summary>
    public void WriteInt64(int field, long value)
    {
        WriteVarint(Tag(field, VarintWire));
        WriteVarint((ulong)value);
    }

    /// <summary>A float field (fixed 32 bits, little endian).</summary>
    public void WriteFloat(int field, float value)
    {
        WriteVarint(Tag(field, Fixed32Wire));
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _stream.Write(bytes);
    }

    /// <summary>A string field, UTF-8.</summary>
    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field, or a nested message already encoded.</summary>
    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteLengthPrefix(field, value.Length);
        _stream.Write(value);
    }

    /// <summary>A nested message: encoded here, then written with its length.</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> write) => WriteBytes(field, Encode(write));

    /// <summary>A packed repeated int64 field: one length-delimited run of varints.</summary>
    public void WritePackedInt64(int field, ReadOnlySpan<long> values)
    {
        long length = 0;
        foreach (long value in values) length += VarintSize((ulong)value);
        WriteLengthPrefix(field, length);
        foreach (long value in values) WriteVarint((ulong)value);
    }

    /// <summary>
    /// The tag and length of a length-delimited field whose <paramref name="length"/> bytes the caller writes next
    /// through <see cref="WriteRaw"/>: how weights reach the file without a copy of the whole message.
    /// </summary>
    public void WriteLengthPrefix(int field, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        WriteVarint(Tag(field, LengthDelimitedWire));
        WriteVarint((ulong)length);
    }

    /// <summary>Bytes as they are, inside a field opened by <see cref="WriteLengthPrefix"/>.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    private void WriteVarint(ulong value)
    {
        Span<byte> bytes = stackalloc byte[10];
        int n = 0;
        while (value >= 0x80)
        {
            bytes[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        bytes[n++] = (byte)value;
        _stream.Write(bytes.Slice(0, n));
    }

    private static ulong Tag(int field, int wireType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(field, 1);
        return ((ulong)(uint)field << 3) | (uint)wireType;
    }
}
