namespace DinoCompiled.Generator.Model;

/// <summary>One layer of the head's MLP; <see cref="Out"/> and <see cref="Bias"/> apply to Linear layers only.</summary>
internal sealed record HeadLayerSpec(HeadLayerKind Kind, int Out, bool Bias)
{
    public static readonly HeadLayerSpec Gelu = new(HeadLayerKind.Gelu, 0, false);

    public static HeadLayerSpec Linear(int output, bool bias) => new(HeadLayerKind.Linear, output, bias);
}
