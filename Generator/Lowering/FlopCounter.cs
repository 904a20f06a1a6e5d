using System.Collections.Generic;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Lowering;

/// <summary>
/// Forward FLOPs per image for each compiled crop size: 2 × the multiply-adds of every matrix product.
/// Normalization, softmax, GELU and additions are left out, as fvcore and the ViT papers count.
/// </summary>
internal static class FlopCounter
{
    public static EquatableArray<CropCost> Count(ModelSpec spec)
    {
        var costs = new List<CropCost>();
        foreach (int crop in spec.CropSizes)
            costs.Add(new CropCost(crop, Tokens(spec, crop), Backbone(spec, crop), Head(spec)));
        return costs.ToEquatableArray();
    }

    private static int Tokens(ModelSpec spec, int crop)
    {
        int grid = crop / spec.Patch;
        return checked(grid * grid + 1);
    }

    private static long Backbone(ModelSpec spec, int crop)
    {
        long d = spec.EmbedDim;
        long tokens = Tokens(spec, crop);
        long patches = tokens - 1;
        long flops = checked(2 * patches * spec.Channels * spec.Patch * spec.Patch * d);
        foreach (var block in spec.Blocks)
        {
            long perToken = checked(d * 3 * d + d * d + 2 * d * block.MlpHidden); // qkv, proj, fc1, fc2
            long attention = checked(2 * tokens * tokens * d);                    // QK^T and AV over all heads
            flops = checked(flops + 2 * (tokens * perToken + attention));
        }
        return flops;
    }

    private static long Head(ModelSpec spec)
    {
        long input = spec.EmbedDim, flops = 0;
        foreach (var layer in spec.Head.Mlp)
        {
            if (layer.Kind != HeadLayerKind.Linear) continue;
            flops = checked(flops + 2 * input * layer.Out);
            input = layer.Out;
        }
        return checked(flops + 2 * input * spec.Head.OutDim);
    }
}
