using System;
using System.Collections.Immutable;
using System.IO;

namespace DinoCompiled.Checkpoints;

/// <summary>A tensor added to a <see cref="SafetensorsWriter"/>: its header entry, and how to write its bytes when the file is written.</summary>
/// <param name="Name">Its key.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="ByteLength">Bytes <paramref name="WriteData"/> writes.</param>
/// <param name="WriteData">Writes the little-endian bytes to the stream.</param>
internal sealed record SafetensorsPendingTensor(
    string Name,
    SafetensorsDType DType,
    ImmutableArray<int> Shape,
    long ByteLength,
    Action<Stream> WriteData);
