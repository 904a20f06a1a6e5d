using System.Collections.Generic;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// Whether the CUDA backend can serve a model the shape rules accept, decided before anything CUDA is emitted: a model it
/// cannot serve is a DINO2001 warning naming the reason and compiles for the CPU only, never a failed build.
/// </summary>
internal static class CudaBackendSupport
{
    /// <summary>The attention tile plan of every (tokens, head dim) the model has, or null with the first reason it cannot be served.</summary>
    public static Dictionary<(int Tokens, int HeadDim), AttentionTilePlan>? TryPlan(ModelSpec spec, out string? reason)
    {
        reason = null;
        // The elementwise kernels stream rows as float4.
        if (spec.EmbedDim % 4 != 0)
        {
            reason = "its embedding width " + spec.EmbedDim + " is not divisible by 4 (the CUDA kernels read rows as float4)";
            return null;
        }
        if (spec.Head.OutDim % 4 != 0)
        {
            reason = "its head's OutDim " + spec.Head.OutDim + " is not divisible by 4 (the CUDA kernels read rows as float4)";
            return null;
        }
        var plans = new Dictionary<(int, int), AttentionTilePlan>();
        foreach (int crop in spec.CropSizes)
        {
            int tokens = (crop / spec.Patch) * (crop / spec.Patch) + 1;
            foreach (var block in spec.Blocks)
            {
                int headDim = spec.EmbedDim / block.Heads;
                if (plans.ContainsKey((tokens, headDim))) continue;
                var plan = AttentionTilePlan.TryCreate(tokens, headDim, out reason);
                if (plan is null) return null;
                plans.Add((tokens, headDim), plan);
            }
        }
        return plans;
    }
}
