using System;

namespace DinoCompiled.Visualization;

/// <summary>
/// What the reference's <c>visualize_attention.py</c> shows: the CLS token's attention to each patch in one block, per
/// head, and the mask that keeps the patches holding a given share of it.
/// </summary>
public static class ClassAttention
{
    /// <summary>
    /// The CLS query's attention to the patches [heads][patches] of one image, from its probabilities
    /// [heads, tokens, tokens] (token 0 the CLS token; the CLS key's own share is left out, as the reference does).
    /// </summary>
    public static float[][] PerHead(ReadOnlySpan<float> probabilities, int heads, int tokens)
    {
        if (heads < 1 || tokens < 2) throw new ArgumentOutOfRangeException(nameof(tokens), $"Need at least one head and one patch, not {heads} heads and {tokens} tokens.");
        if (probabilities.Length != heads * tokens * tokens)
            throw new ArgumentException($"{heads} heads of {tokens} tokens take {heads * tokens * tokens} probabilities, not {probabilities.Length}.", nameof(probabilities));
        var maps = new float[heads][];
        for (int h = 0; h < heads; h++)
            maps[h] = probabilities.Slice(h * tokens * tokens + 1, tokens - 1).ToArray();
        return maps;
    }

    /// <summary>The mean over heads of <paramref name="maps"/>.</summary>
    public static float[] Mean(float[][] maps)
    {
        var mean = new float[maps[0].Length];
        foreach (var map in maps)
            for (int i = 0; i < mean.Length; i++) mean[i] += map[i];
        for (int i = 0; i < mean.Length; i++) mean[i] /= maps.Length;
        return mean;
    }

    /// <summary>
    /// The patches that together hold <paramref name="threshold"/> of the map's mass, largest first (the reference:
    /// sort ascending, normalize, keep where the cumulative sum exceeds 1 − threshold). Ties keep the lower index first.
    /// </summary>
    public static bool[] Mask(ReadOnlySpan<float> map, double threshold)
    {
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold is a share of the attention mass in (0, 1].");
        var order = new int[map.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var values = map.ToArray();
        Array.Sort(order, (x, y) => values[x] != values[y] ? values[x].CompareTo(values[y]) : y.CompareTo(x));
        double total = 0;
        foreach (float v in values) total += v;
        var keep = new bool[map.Length];
        double cumulative = 0;
        foreach (int i in order)
        {
            cumulative += values[i] / total;
            keep[i] = cumulative > 1 - threshold;
        }
        return keep;
    }
}
