// Lets native buffers (NativeBuffer, the trainer's flat parameter and moment buffers) travel as Memory<float>, which
// is what SafetensorsWriter holds until it writes, without copying tens of megabytes into managed arrays first.
using System;
using System.Buffers;

namespace DinoCompiled.Checkpoints;

/// <summary>A non-owning <see cref="Memory{T}"/> view of native floats; the owner keeps them alive while it is used.</summary>
internal sealed unsafe class TrainingNativeMemory : MemoryManager<float>
{
    private readonly float* _data;
    private readonly int _length;

    public TrainingNativeMemory(float* data, long length)
    {
        if (data == null && length > 0) throw new ArgumentNullException(nameof(data));
        if (length < 0 || length > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A view over native floats holds 0 to 2^31 − 1 of them.");
        _data = data;
        _length = (int)length;
    }

    public override Span<float> GetSpan() => new(_data, _length);

    // Native memory never moves: pinning is a pointer.
    public override MemoryHandle Pin(int elementIndex = 0) => new(_data + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
