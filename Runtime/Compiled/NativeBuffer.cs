using System;
using System.Runtime.InteropServices;

namespace DinoCompiled.Compiled;

/// <summary>
/// A 64-byte-aligned block of native floats, zeroed at allocation. The compiled code runs on these, so a training step
/// touches no managed heap and the GC never moves what the kernels point into.
/// </summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    private float* _data;

    /// <summary>Allocates <paramref name="length"/> zeroed floats.</summary>
    public NativeBuffer(long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "A buffer length cannot be negative.");
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length) * sizeof(float);
        _data = (float*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_data, bytes);
    }

    /// <summary>Number of floats.</summary>
    public long Length { get; }

    /// <summary>The first float.</summary>
    public float* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(NativeBuffer));

    /// <summary>The buffer as a safe handle for the generated code.</summary>
    public Ptr Ptr => new(Data);

    /// <summary>The floats as a span (buffers over 2^31 − 1 floats are not spannable).</summary>
    public Span<float> Span => new(Data, checked((int)Length));

    /// <summary>Sets every float to zero.</summary>
    public void Clear() => NativeMemory.Clear(Data, (nuint)Length * sizeof(float));

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}
