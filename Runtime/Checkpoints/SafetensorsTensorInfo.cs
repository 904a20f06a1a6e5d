using System.Collections.Immutable;

namespace DinoCompiled.Checkpoints;

/// <summary>One tensor as described by a safetensors header.</summary>
/// <param name="Name">Its key.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its shape; empty for a scalar.</param>
/// <param name="DataBegin">First byte, relative to the end of the header.</param>
/// <param name="DataEnd">One past the last byte, relative to the end of the header.</param>
public sealed record SafetensorsTensorInfo(
    string Name,
    SafetensorsDType DType,
    ImmutableArray<int> Shape,
    long DataBegin,
    long DataEnd)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => CountElements(Shape);

    /// <summary>Bytes of data.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as PyTorch prints it: <c>[1152, 384]</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    internal static string FormatShape(ImmutableArray<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <exception cref="System.OverflowException">The product does not fit in a long.</exception>
    internal static long CountElements(ImmutableArray<int> shape)
    {
        long count = 1;
        foreach (int dim in shape) count = checked(count * dim);
        return count;
    }
}
