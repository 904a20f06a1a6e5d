using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// Writes a safetensors file: tensors are packed in the order they are added, after a JSON header padded with
/// spaces so the data starts 8-byte aligned. Adding a tensor keeps a reference to its memory (no copy): the
/// caller keeps it unchanged until <see cref="Write(string)"/> returns. <see cref="Write(string)"/> is atomic: a failure leaves
/// an existing file at the path untouched.
/// </summary>
public sealed class SafetensorsWriter
{
    private const string MetadataKey = "__metadata__";
    private const int ChunkBytes = 1 << 20;

    private readonly List<SafetensorsPendingTensor> _tensors = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>Adds an F32 tensor.</summary>
    /// <exception cref="ArgumentException">The name is empty, reserved or taken, or the shape does not hold the data's length.</exception>
    public SafetensorsWriter AddFloat32(string name, ReadOnlyMemory<float> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafetensorsDType.F32, data, shape);

    /// <summary>Adds an F64 tensor.</summary>
    /// <exception cref="ArgumentException">The name is empty, reserved or taken, or the shape does not hold the data's length.</exception>
    public SafetensorsWriter AddFloat64(string name, ReadOnlyMemory<double> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafetensorsDType.F64, data, shape);

    /// <summary>Adds an I64 tensor.</summary>
    /// <exception cref="ArgumentException">The name is empty, reserved or taken, or the shape does not hold the data's length.</exception>
    public SafetensorsWriter AddInt64(string name, ReadOnlyMemory<long> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafetensorsDType.I64, data, shape);

    /// <summary>Adds a U8 tensor.</summary>
    /// <exception cref="ArgumentException">The name is empty, reserved or taken, or the shape does not hold the data's length.</exception>
    public SafetensorsWriter AddUInt8(string name, ReadOnlyMemory<byte> data, params ReadOnlySpan<int> shape) =>
        Add(name, SafetensorsDType.U8, data, shape);

    /// <summary>Sets a <c>__metadata__</c> entry (a later call with the same key replaces the value).</summary>
    public SafetensorsWriter SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
        return this;
    }

    /// <summary>
    /// Writes the file atomically: to <c>path + ".tmp"</c> in the same directory, flushed to disk, then renamed over
    /// <paramref name="path"/>. If anything fails, the temporary file is deleted and a previous file is left as it was.
    /// </summary>
    public void Write(string path) => Write(path, null);

    /// <summary>
    /// <see cref="Write(string)"/>, with <paramref name="openTemporary"/> opening the temporary file (given its path)
    /// instead of a <see cref="FileStream"/>: the seam through which tests make the write fail as a full disk does.
    /// The rename still happens on the real file system, so the stream must write the file at that path.
    /// </summary>
    public void Write(string path, Func<string, Stream>? openTemporary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string temporaryPath = path + ".tmp";
        try
        {
            using (var stream = openTemporary?.Invoke(temporaryPath)
                                ?? new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                WriteTo(stream);
                // On disk before the rename: after a crash the path holds either the old file or the whole new one.
                if (stream is FileStream file) file.Flush(flushToDisk: true);
                else stream.Flush();
            }
            File.Move(temporaryPath, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    /// <summary>Writes the file's bytes to <paramref name="stream"/> (not atomic; <see cref="Write(string)"/> is).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this writer supports little-endian machines only.");

        byte[] header = BuildHeader();
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var tensor in _tensors) tensor.WriteData(stream);
    }

    private SafetensorsWriter Add<T>(string name, SafetensorsDType dtype, ReadOnlyMemory<T> data, ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name == MetadataKey)
            throw new ArgumentException($"'{MetadataKey}' is reserved for the metadata; it cannot name a tensor.", nameof(name));
        var dims = shape.ToImmutableArray();
        foreach (int dim in dims)
            if (dim < 0) throw new ArgumentException($"tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(dims)} has a negative dimension.", nameof(shape));
        long count = SafetensorsTensorInfo.CountElements(dims);
        if (count != data.Length)
            throw new ArgumentException($"tensor '{name}': shape {SafetensorsTensorInfo.FormatShape(dims)} holds {count} elements but the data has {data.Length}.", nameof(shape));
        if (!_names.Add(name))
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));

        _tensors.Add(new SafetensorsPendingTensor(name, dtype, dims, (long)data.Length * Unsafe.SizeOf<T>(), stream => WriteElements(stream, data)));
        return this;
    }

    private static void WriteElements<T>(Stream stream, ReadOnlyMemory<T> data)
        where T : unmanaged
    {
        // In slices: the bytes of a whole tensor may not fit in one span's int length.
        int chunkElements = ChunkBytes / Unsafe.SizeOf<T>();
        for (int start = 0; start < data.Length; start += chunkElements)
            stream.Write(MemoryMarshal.AsBytes(data.Span.Slice(start, Math.Min(chunkElements, data.Length - start))));
    }

    private byte[] BuildHeader()
    {
        var json = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps keys readable ("blocks.0.attn.qkv.weight", "+" in metadata); the output is still valid JSON.
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (_metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in _metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in _tensors)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.DType.HeaderName());
                writer.WriteStartArray("shape");
                foreach (int dim in tensor.Shape) writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + tensor.ByteLength);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += tensor.ByteLength;
            }
            writer.WriteEndObject();
        }

        // Spaces up to a multiple of 8, so the data (after the 8-byte length) starts 8-byte aligned.
        var header = new byte[(json.WrittenCount + 7) / 8 * 8];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The write already failed; that error is the one to report.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
