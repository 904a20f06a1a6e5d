using System;
using System.Collections.Generic;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Lowering;

/// <summary>
/// Lays out every parameter of a model in the reference's state-dict order (a module's own parameters before its
/// submodules': <c>cls_token</c>, <c>pos_embed</c>, <c>patch_embed</c>, <c>blocks</c>, <c>norm</c>; then the head)
/// with the reference initializers, in one flat buffer whose tensors start on <see cref="Alignment"/>-element boundaries.
/// </summary>
internal sealed class ParameterTableBuilder
{
    /// <summary>Elements per alignment unit: 64 bytes of float32, for SIMD loads and cuBLASLt's pointer alignment.</summary>
    public const int Alignment = 16;

    private const double TruncNormalStd = 0.02;
    private readonly List<ParameterEntry> _entries = new();
    private long _next;

    /// <summary>Builds the table; throws <see cref="OverflowException"/> when the sizes do not fit 64-bit counts.</summary>
    public static (EquatableArray<ParameterEntry> Entries, long FlatLength) Build(ModelSpec spec)
    {
        var builder = new ParameterTableBuilder();
        builder.AddBackbone(spec);
        builder.AddHead(spec);
        return (builder._entries.ToEquatableArray(), builder._next);
    }

    private void AddBackbone(ModelSpec spec)
    {
        int d = spec.EmbedDim;
        int grid = spec.ImageSize / spec.Patch;
        int fanIn = checked(spec.Channels * spec.Patch * spec.Patch);
        double convBound = 1.0 / Math.Sqrt(fanIn);

        Add("cls_token", "tokens", new[] { 1, 1, d }, InitializerKind.TruncatedNormal, TruncNormalStd, decay: true);
        Add("pos_embed", "tokens", new[] { 1, checked(1 + grid * grid), d }, InitializerKind.TruncatedNormal, TruncNormalStd, decay: true);
        // DINO re-initialises Linear and LayerNorm only; the patch convolution keeps PyTorch's default U(±1/sqrt(fan_in)).
        Add("patch_embed.proj.weight", "patch_embed", new[] { d, spec.Channels, spec.Patch, spec.Patch }, InitializerKind.Uniform, convBound, decay: true);
        Add("patch_embed.proj.bias", "patch_embed", new[] { d }, InitializerKind.Uniform, convBound, decay: false);

        for (int i = 0; i < spec.Blocks.Count; i++)
        {
            var block = spec.Blocks[i];
            string p = "blocks." + i + ".";
            string layer = "blocks." + i;
            LayerNorm(p + "norm1", layer, d);
            Linear(p + "attn.qkv", layer, d, checked(3 * d), block.QkvBias);
            Linear(p + "attn.proj", layer, d, d, bias: true);
            LayerNorm(p + "norm2", layer, d);
            Linear(p + "mlp.fc1", layer, d, block.MlpHidden, bias: true);
            Linear(p + "mlp.fc2", layer, block.MlpHidden, d, bias: true);
        }
        LayerNorm("norm", "norm", d);
    }

    private void AddHead(ModelSpec spec)
    {
        var mlp = spec.Head.Mlp;
        int input = spec.EmbedDim;
        for (int i = 0; i < mlp.Count; i++)
        {
            if (mlp[i].Kind != HeadLayerKind.Linear) continue;
            // nn.Sequential names its children by index; a head with a single Linear is that Linear itself (head.mlp).
            string name = mlp.Count == 1 ? "head.mlp" : "head.mlp." + i;
            Linear(name, "head.mlp", input, mlp[i].Out, mlp[i].Bias, isHead: true);
            input = mlp[i].Out;
        }
        // weight_norm registers g before v; g starts at 1 and is frozen with norm_last_layer; v keeps nn.Linear's default init.
        bool trainG = !spec.Head.NormLastLayer;
        Add("head.last_layer.weight_g", "head.last_layer", new[] { spec.Head.OutDim, 1 }, InitializerKind.Constant, 1.0, decay: trainG, trainable: trainG, isHead: true);
        Add("head.last_layer.weight_v", "head.last_layer", new[] { spec.Head.OutDim, input }, InitializerKind.Uniform, 1.0 / Math.Sqrt(input), decay: true, isHead: true);
    }

    private void LayerNorm(string name, string layer, int d)
    {
        Add(name + ".weight", layer, new[] { d }, InitializerKind.Constant, 1.0, decay: false);
        Add(name + ".bias", layer, new[] { d }, InitializerKind.Constant, 0.0, decay: false);
    }

    private void Linear(string name, string layer, int input, int output, bool bias, bool isHead = false)
    {
        Add(name + ".weight", layer, new[] { output, input }, InitializerKind.TruncatedNormal, TruncNormalStd, decay: true, isHead: isHead);
        if (bias) Add(name + ".bias", layer, new[] { output }, InitializerKind.Constant, 0.0, decay: false, isHead: isHead);
    }

    /// <param name="decay">The reference's rule: decay every parameter with 2 or more dimensions that is not a bias.</param>
    private void Add(string name, string layer, int[] shape, InitializerKind init, double scale, bool decay, bool trainable = true, bool isHead = false)
    {
        long count = 1;
        foreach (int extent in shape) count = checked(count * extent);
        _entries.Add(new ParameterEntry(name, shape.ToEquatableArray(), _next, count, init, scale, decay && trainable, trainable, isHead, layer));
        _next = checked((_next + count + Alignment - 1) / Alignment * Alignment);
    }
}
