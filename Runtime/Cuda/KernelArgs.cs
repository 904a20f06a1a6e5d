using System;
using System.Runtime.CompilerServices;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The arguments of one kernel launch, packed as <c>cuLaunchKernel</c> reads them: one 8-byte slot per parameter, in
/// declaration order. A pointer fills its slot; an <c>int</c> or a <c>float</c> fills the low 4 bytes (the driver copies
/// as many bytes as the kernel's parameter has, and x86-64 and the GPU are little-endian). A value type with an inline
/// array, so building the arguments of a launch allocates nothing and needs no unsafe code in generated schedules.
/// </summary>
public struct KernelArgs
{
    /// <summary>The most parameters one kernel may take.</summary>
    public const int Capacity = 16;

    private SlotArray _slots;
    private int _count;

    /// <summary>Parameters packed so far.</summary>
    public readonly int Count => _count;

    /// <summary>Appends a device pointer.</summary>
    public KernelArgs Ptr(Ptr value)
    {
        unsafe { return Raw((ulong)(nuint)(float*)value); }
    }

    /// <summary>Appends a 32-bit integer.</summary>
    public KernelArgs Int(int value) => Raw((uint)value);

    /// <summary>Appends a 64-bit integer.</summary>
    public KernelArgs Long(long value) => Raw((ulong)value);

    /// <summary>Appends a 32-bit float.</summary>
    public KernelArgs Float(float value) => Raw(BitConverter.SingleToUInt32Bits(value));

    /// <summary>The slot of parameter <paramref name="index"/>, as the driver will read it.</summary>
    public readonly ulong this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The launch has {_count} parameters.");
            return _slots[index];
        }
    }

    /// <summary>Copies the packed slots to where the launcher points the driver's parameter array.</summary>
    public readonly void CopyTo(Span<ulong> destination)
    {
        if (destination.Length < _count) throw new ArgumentException($"The launch has {_count} parameters; the destination holds {destination.Length}.", nameof(destination));
        for (int i = 0; i < _count; i++) destination[i] = _slots[i];
    }

    private KernelArgs Raw(ulong bits)
    {
        if (_count == Capacity) throw new InvalidOperationException($"A kernel launch takes at most {Capacity} parameters.");
        var next = this;
        next._slots[next._count++] = bits;
        return next;
    }

    [InlineArray(Capacity)]
    private struct SlotArray
    {
        private ulong _first;
    }
}
