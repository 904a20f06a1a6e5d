using System.Collections.Immutable;

namespace DinoCompiled.Checkpoints;

/// <summary>A tensor a checkpoint must hold for this model.</summary>
/// <param name="Key">Its key in the file.</param>
/// <param name="DType">The dtype it must have (for floats, see <c>AcceptConvertedFloats</c> in the validator).</param>
/// <param name="Shape">The shape it must have.</param>
/// <param name="AnyLength">True for a 1-D tensor of any length (the opaque RNG blob); <paramref name="Shape"/> is then ignored.</param>
internal sealed record TrainingExpectedTensor(string Key, SafetensorsDType DType, ImmutableArray<int> Shape, bool AnyLength = false)
{
    /// <summary>The expected shape as PyTorch prints it, or <c>[n]</c> for any length.</summary>
    public string ShapeText => AnyLength ? "[n]" : SafetensorsTensorInfo.FormatShape(Shape);
}
