using System;
using System.Buffers;
using System.IO;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>
/// Memory whose span cannot be taken: a tensor backed by it makes <c>SafetensorsWriter</c> fail midway through the
/// data, after the header and the earlier tensors are written, as a crash or a full disk would.
/// </summary>
internal sealed class FailingMemory : MemoryManager<float>
{
    private readonly int _length;

    public FailingMemory(int length) => _length = length;

    public override Span<float> GetSpan() => throw new IOException("simulated failure while writing tensor data");

    public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }

    // The base property takes the length from GetSpan; this one keeps the memory usable until its data is read.
    public override Memory<float> Memory => CreateMemory(_length);
}
