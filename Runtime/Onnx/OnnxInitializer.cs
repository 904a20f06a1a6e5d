// A constant tensor of the graph (a TensorProto in GraphProto.initializer). Its values go out
// as raw_data, little endian, streamed in slices from the array: a ViT-B's weights are 340 MB,
// and an encoded copy of them would double what the export holds in memory.
using System;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace DinoCompiled.Onnx;

/// <summary>A named float32 or int64 tensor baked into the model.</summary>
internal sealed class OnnxInitializer
{
    private const int SliceBytes = 1 << 20;

    private readonly float[]? _floats;
    private readonly long[]? _longs;
    private readonly byte[] _header;

    private OnnxInitializer(string name, OnnxDataType type, ImmutableArray<long> dims, float[]? floats, long[]? longs)
    {
        long count = 1;
        foreach (long dim in dims) count *= dim;
        long length = floats?.LongLength ?? longs!.LongLength;
        if (count != length)
            throw new ArgumentException($"Initializer '{name}': shape [{string.Join(", ", dims)}] holds {count} elements but the data has {length}.", nameof(dims));
        Name = name;
        Dims = dims;
        _floats = floats;
        _longs = longs;
        RawBytes = length * (floats is null ? sizeof(long) : sizeof(float));
        _header = ProtobufWriter.Encode(w =>
        {
            w.WritePackedInt64(OnnxFields.TensorDims, dims.AsSpan());
            w.WriteInt64(OnnxFields.TensorDataType, (long)type);
            w.WriteString(OnnxFields.TensorName, name);
        });
    }

    /// <summary>The value name nodes refer to.</summary>
    public string Name { get; }

    /// <summary>The tensor's shape.</summary>
    public ImmutableArray<long> Dims { get; }

    /// <summary>Bytes of the values.</summary>
    public long RawBytes { get; }

    /// <summary>Bytes of the whole <c>TensorProto</c>.</summary>
    public long EncodedLength => _header.Length + ProtobufWriter.LengthPrefixSize(OnnxFields.TensorRawData, RawBytes) + RawBytes;

    /// <summary>A float32 tensor; the array is kept, not copied.</summary>
    public static OnnxInitializer Float(string name, float[] values, params long[] dims) =>
        new(name, OnnxDataType.Float, ImmutableArray.Create(dims), values, null);

    /// <summary>An int64 tensor (a shape or an index).</summary>
    public static OnnxInitializer Int64(string name, long[] values, params long[] dims) =>
        new(name, OnnxDataType.Int64, ImmutableArray.Create(dims), null, values);

    /// <summary>Writes the <c>TensorProto</c>'s fields (not its own tag and length).</summary>
    public void WriteTo(ProtobufWriter writer)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; the exporter supports little-endian machines only.");
        writer.WriteRaw(_header);
        writer.WriteLengthPrefix(OnnxFields.TensorRawData, RawBytes);
        if (_floats is not null) WriteSlices<float>(writer, _floats);
        else WriteSlices<long>(writer, _longs!);
    }

    private static void WriteSlices<T>(ProtobufWriter writer, T[] values)
        where T : unmanaged
    {
        int slice = SliceBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int start = 0; start < values.Length; start += slice)
            writer.WriteRaw(MemoryMarshal.AsBytes(values.AsSpan(start, Math.Min(slice, values.Length - start))));
    }
}
