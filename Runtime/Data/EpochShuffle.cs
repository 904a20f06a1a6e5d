using System;

namespace DinoCompiled.Data;

/// <summary>The sample order of an epoch: a Fisher–Yates permutation drawn from <see cref="SampleRandom.ForEpochShuffle"/>(seed, epoch).</summary>
public static class EpochShuffle
{
    /// <summary>Fills <paramref name="order"/> with a permutation of 0 … length − 1 that depends only on (seed, epoch).</summary>
    public static void Fill(long seed, int epoch, Span<int> order)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var random = SampleRandom.ForEpochShuffle(seed, epoch);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
