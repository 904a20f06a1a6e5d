using System.Collections.Immutable;

namespace DinoCompiled;

/// <summary>The DINO head as compiled.</summary>
/// <param name="LinearWidths">Output width of each Linear of the MLP, in order; the last one is the bottleneck.</param>
/// <param name="GeluAfter">Whether a GELU follows the Linear of the same index.</param>
/// <param name="OutDim">Number of prototypes K.</param>
/// <param name="NormLastLayer">Whether <c>weight_g</c> is frozen at 1.</param>
public sealed record HeadInfo(ImmutableArray<int> LinearWidths, ImmutableArray<bool> GeluAfter, int OutDim, bool NormLastLayer)
{
    /// <summary>Width of the L2-normalized features.</summary>
    public int Bottleneck => LinearWidths[^1];

    /// <summary>The MLP as a layer list: <c>Linear 2048, GELU, Linear 2048, GELU, Linear 256</c>.</summary>
    public string MlpText
    {
        get
        {
            var parts = new System.Collections.Generic.List<string>();
            for (int i = 0; i < LinearWidths.Length; i++)
            {
                parts.Add("Linear " + LinearWidths[i]);
                if (GeluAfter[i]) parts.Add("GELU");
            }
            return string.Join(", ", parts);
        }
    }
}
