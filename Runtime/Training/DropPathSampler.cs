using System;

namespace DinoCompiled.Training;

/// <summary>
/// Draws the student's per-sample stochastic-depth scales (0, or 1/(1 − r) with probability 1 − r) for every block's
/// two residual branches, from a stream derived from (seed, step, group), so a resumed run draws exactly what an
/// uninterrupted one would.
/// </summary>
public static unsafe class DropPathSampler
{
    /// <summary>Fills <paramref name="scales"/> [depth × 2, units] for one crop group of one step.</summary>
    public static void Fill(float* scales, ArchitectureInfo architecture, int units, int seed, long step, int group)
    {
        var random = new SplitMix64(SplitMix64.Mix((ulong)(uint)seed, (ulong)step, (ulong)group, 0xD809A7ul));
        for (int block = 0; block < architecture.Depth; block++)
        {
            double rate = architecture.Blocks[block].DropPath;
            float keep = rate == 0 ? 1f : (float)(1 / (1 - rate));
            for (int i = 0; i < 2 * units; i++)
                scales[(long)block * 2 * units + i] = rate == 0 || random.NextDouble() >= rate ? keep : 0f;
        }
    }
}
