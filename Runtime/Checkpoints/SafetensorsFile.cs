using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DinoCompiled.Checkpoints;

/// <summary>
/// An open safetensors file (the Hugging Face format PyTorch checkpoints are exchanged in): an 8-byte
/// little-endian header length N, N bytes of JSON describing every tensor, then the tensors' bytes.
/// The header is read and fully validated by <see cref="Open"/>; tensors are read on demand, so a large checkpoint
/// is never held twice in memory. Reads may run concurrently from several threads.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The largest header accepted, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    // Large tensors are read in slices, so a tensor of any size needs only a bounded conversion buffer.
    private const int ChunkBytes = 1 << 20;

    private readonly SafeFileHandle _handle;
    private readonly SafetensorsHeader _header;
    private readonly long _dataStart;

    private SafetensorsFile(string path, SafeFileHandle handle, SafetensorsHeader header, long dataStart)
    {
        Path = path;
        _handle = handle;
        _header = header;
        _dataStart = dataStart;
        Names = header.Tensors.Select(t => t.Name).ToImmutableArray();
    }

    /// <summary>The file, as the caller named it (error messages start with it).</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _header.Metadata;

    /// <summary>Every tensor name, in the order of the data in the file (the order a writer added them).</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>Every tensor's description, in the order of <see cref="Names"/>.</summary>
    public ImmutableArray<SafetensorsTensorInfo> Tensors => _header.Tensors;

    /// <summary>Opens <paramref name="path"/> and validates its header against the file's length.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid safetensors file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this reader supports little-endian machines only.");

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength < sizeof(ulong))
                throw new SafetensorsFormatException(path, $"the file holds {fileLength} bytes, fewer than the 8 of the header length");

            Span<byte> prefix = stackalloc byte[sizeof(ulong)];
            ReadExactly(path, handle, prefix, 0);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - sizeof(ulong)))
                throw new SafetensorsFormatException(path, $"header length {headerLength} exceeds the file size {fileLength}");
            if (headerLength > MaxHeaderLength)
                throw new SafetensorsFormatException(path, $"header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes");

            var json = new byte[headerLength];
            ReadExactly(path, handle, json, sizeof(ulong));
            long dataStart = sizeof(ulong) + (long)headerLength;
            var header = SafetensorsHeader.Parse(path, json, fileLength - dataStart);
            return new SafetensorsFile(path, handle, header, dataStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor of this name.</summary>
    public bool Contains(string name) => _header.ByName.ContainsKey(name);

    /// <summary>The description of one tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public SafetensorsTensorInfo TensorInfo(string name) => _header.ByName.TryGetValue(name, out var info)
        ? info
        : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    /// <summary>Reads a floating-point tensor as float32 (F64, F16 and BF16 are converted).</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    /// <exception cref="SafetensorsFormatException">The tensor is not floating-point, or the file changed since it was opened.</exception>
    public float[] ReadFloat32(string name)
    {
        var values = new float[CheckedArrayLength(TensorInfo(name))];
        CopyTo(name, values);
        return values;
    }

    /// <summary>Reads a floating-point tensor into <paramref name="destination"/>, which must hold exactly its elements.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    /// <exception cref="ArgumentException">The destination's length differs from the tensor's element count.</exception>
    /// <exception cref="SafetensorsFormatException">The tensor is not floating-point, or the file changed since it was opened.</exception>
    public void CopyTo(string name, Span<float> destination)
    {
        var info = TensorInfo(name);
        if (!info.DType.IsFloatingPoint())
            throw new SafetensorsFormatException(Path, $"tensor '{name}' is {info.DType.HeaderName()}, not a floating-point dtype (F64, F32, F16 or BF16)");
        CheckDestination(info, destination.Length);

        if (info.DType == SafetensorsDType.F32)
        {
            ReadRaw(info, destination);
            return;
        }

        int elementSize = info.DType.ElementSize();
        int chunkElements = ChunkBytes / elementSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < destination.Length; start += chunkElements)
            {
                int count = Math.Min(chunkElements, destination.Length - start);
                var bytes = buffer.AsSpan(0, count * elementSize);
                ReadExactly(Path, _handle, bytes, _dataStart + info.DataBegin + (long)start * elementSize, name);
                ConvertToSingle(info.DType, bytes, destination.Slice(start, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads an I64 tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    /// <exception cref="SafetensorsFormatException">The tensor is not I64, or the file changed since it was opened.</exception>
    public long[] ReadInt64(string name)
    {
        var info = RequireDType(name, SafetensorsDType.I64, nameof(ReadInt64));
        var values = new long[CheckedArrayLength(info)];
        ReadRaw(info, values.AsSpan());
        return values;
    }

    /// <summary>Reads a U8 tensor.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    /// <exception cref="SafetensorsFormatException">The tensor is not U8, or the file changed since it was opened.</exception>
    public byte[] ReadUInt8(string name)
    {
        var info = RequireDType(name, SafetensorsDType.U8, nameof(ReadUInt8));
        var values = new byte[CheckedArrayLength(info)];
        ReadRaw(info, values.AsSpan());
        return values;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    private SafetensorsTensorInfo RequireDType(string name, SafetensorsDType dtype, string method)
    {
        var info = TensorInfo(name);
        if (info.DType != dtype)
            throw new SafetensorsFormatException(Path, $"tensor '{name}' is {info.DType.HeaderName()}; {method} reads {dtype.HeaderName()} only");
        return info;
    }

    private int CheckedArrayLength(SafetensorsTensorInfo info) => info.ElementCount <= Array.MaxLength
        ? (int)info.ElementCount
        : throw new InvalidOperationException($"{Path}: tensor '{info.Name}' has {info.ElementCount} elements, more than one array holds; read it in parts with CopyTo.");

    private void CheckDestination(SafetensorsTensorInfo info, int length)
    {
        if (length != info.ElementCount)
            throw new ArgumentException($"{Path}: tensor '{info.Name}' has {info.ElementCount} elements but the destination holds {length}", "destination");
    }

    /// <summary>Reads the tensor's elements unconverted (the file's little-endian layout is the machine's).</summary>
    private void ReadRaw<T>(SafetensorsTensorInfo info, Span<T> destination)
        where T : unmanaged
    {
        // In slices: the bytes of a whole tensor may not fit in one span's int length.
        int chunkElements = ChunkBytes / Unsafe.SizeOf<T>();
        for (int start = 0; start < destination.Length; start += chunkElements)
        {
            var slice = destination.Slice(start, Math.Min(chunkElements, destination.Length - start));
            ReadExactly(Path, _handle, MemoryMarshal.AsBytes(slice), _dataStart + info.DataBegin + (long)start * Unsafe.SizeOf<T>(), info.Name);
        }
    }

    private static void ConvertToSingle(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source.Slice(i * 8));
                break;
            case SafetensorsDType.F16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source.Slice(i * 2));
                break;
            case SafetensorsDType.BF16:
                // bfloat16 is the upper half of a float32: widening is exact.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(i * 2)) << 16);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a converted dtype");
        }
    }

    private static void ReadExactly(string path, SafeFileHandle handle, Span<byte> destination, long fileOffset, string? tensor = null)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, fileOffset);
            if (read == 0)
                throw new SafetensorsFormatException(path, tensor is null
                    ? $"the file ended at byte {fileOffset} while reading the header"
                    : $"the file ended at byte {fileOffset} while reading tensor '{tensor}' (did it change after it was opened?)");
            destination = destination.Slice(read);
            fileOffset += read;
        }
    }
}
