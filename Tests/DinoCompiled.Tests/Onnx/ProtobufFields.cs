using System;
using System.Collections.Generic;
using System.Text;

namespace DinoCompiled.Tests.Onnx;

/// <summary>
/// A reader of protobuf messages just deep enough to check what the exporter wrote (tests only): the fields of one
/// message, each a varint or a length-delimited slice. Written independently of the exporter's writer, so the two
/// cannot share a mistake in the wire format.
/// </summary>
internal sealed class ProtobufFields
{
    private readonly List<(int Field, ulong Varint, ReadOnlyMemory<byte> Bytes)> _fields = new();

    public ProtobufFields(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        int position = 0;
        while (position < span.Length)
        {
            ulong tag = ReadVarint(span, ref position);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    _fields.Add((field, ReadVarint(span, ref position), default));
                    break;
                case 2:
                    int length = checked((int)ReadVarint(span, ref position));
                    _fields.Add((field, 0, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    _fields.Add((field, BitConverter.ToUInt32(span.Slice(position, 4)), message.Slice(position, 4)));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Wire type {wire} (field {field}) is not one the exporter writes.");
            }
        }
    }

    /// <summary>The varint values of a field, in file order.</summary>
    public List<long> Varints(int field) => _fields.FindAll(f => f.Field == field).ConvertAll(f => (long)f.Varint);

    /// <summary>The nested messages of a field, in file order.</summary>
    public List<ProtobufFields> Messages(int field) => _fields.FindAll(f => f.Field == field).ConvertAll(f => new ProtobufFields(f.Bytes));

    /// <summary>The one nested message of a field.</summary>
    public ProtobufFields Message(int field) => Messages(field) is [var only] ? only : throw new FormatException($"Field {field} appears {Messages(field).Count} times.");

    /// <summary>The strings of a field, in file order.</summary>
    public List<string> Strings(int field) => _fields.FindAll(f => f.Field == field).ConvertAll(f => Encoding.UTF8.GetString(f.Bytes.Span));

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
