using System.Collections.Immutable;

namespace DinoCompiled;

/// <summary>The DINO head as compiled.</summary>
/// <param name="LinearWidths">Output width of each Linear of the MLP, in order; the last one is the bottleneck.</param>
/// <param name="OutDim">Number of prototypes K.</param>
/// <param name="NormLastLayer">Whether <c>weight_g</c> is frozen at 1.</param>
public sealed record HeadInfo(ImmutableArray<int> LinearWidths, int OutDim, bool NormLastLayer)
{
    /// <summary>Width of the L2-normalized features.</summary>
    public int Bottleneck => LinearWidths[^1];
}
