using System.Collections.Immutable;

namespace DinoCompiled;

/// <summary>One learned tensor of a compiled model.</summary>
/// <param name="Name">The official DINO/timm state-dict key (<c>blocks.3.attn.qkv.weight</c>, <c>head.last_layer.weight_v</c>).</param>
/// <param name="Shape">The PyTorch shape of the tensor.</param>
/// <param name="Offset">Its first element in the model's flat parameter buffer (also the offset in the gradient, moment and teacher buffers).</param>
/// <param name="Count">Number of elements.</param>
/// <param name="Init">How it is initialised.</param>
/// <param name="WeightDecay">Whether AdamW decays it (trainable, at least 2-D, not a bias).</param>
/// <param name="Trainable">False for tensors the optimizer never updates (<c>weight_g</c> with <c>NormLastLayer</c>).</param>
/// <param name="Part">Backbone or head.</param>
public sealed record ParameterInfo(
    string Name,
    ImmutableArray<int> Shape,
    long Offset,
    long Count,
    ParameterInit Init,
    bool WeightDecay,
    bool Trainable,
    ModelPart Part)
{
    /// <summary>The shape as PyTorch prints it: <c>[1152, 384]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
