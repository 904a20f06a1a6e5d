using System;

namespace DinoCompiled.Data;

/// <summary>
/// The random stream of one crop (or of one epoch's shuffle): xoshiro256** seeded through SplitMix64 from a hash of
/// (seed, epoch, sample index, crop index). Because every crop has its own stream, what a crop looks like depends only
/// on that key: not on the worker that made it, the batch it landed in, or how many draws another crop used.
/// A mutable struct; pass it by reference.
/// </summary>
public struct SampleRandom
{
    // Domain tags keep the shuffle's streams apart from every crop's.
    private const ulong CropDomain = 0x43524F50_53545245; // "CROPSTRE"
    private const ulong ShuffleDomain = 0x53485546_464C4545; // "SHUFFLEE"

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>The stream of crop <paramref name="cropIndex"/> of sample <paramref name="sampleIndex"/> in <paramref name="epoch"/>.</summary>
    public static SampleRandom ForCrop(long seed, int epoch, int sampleIndex, int cropIndex) =>
        FromKey(CropDomain, seed, ((ulong)(uint)epoch << 32) | (uint)sampleIndex, (ulong)(uint)cropIndex);

    /// <summary>The stream that shuffles the sample order of <paramref name="epoch"/>.</summary>
    public static SampleRandom ForEpochShuffle(long seed, int epoch) =>
        FromKey(ShuffleDomain, seed, (ulong)(uint)epoch, 0);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitRotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitRotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "The range must not be empty.");
        ulong range = (ulong)exclusiveMax;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong high = Math.BigMul(NextUInt64(), range, out ulong low);
            if (low >= threshold) return (int)high;
        }
    }

    private static SampleRandom FromKey(ulong domain, long seed, ulong a, ulong b)
    {
        // Each step mixes fully, so keys that differ in one bit give unrelated states.
        ulong h = Mix(domain ^ (ulong)seed);
        h = Mix(h ^ a);
        h = Mix(h ^ b);
        var random = new SampleRandom();
        random._s0 = SplitMix(ref h);
        random._s1 = SplitMix(ref h);
        random._s2 = SplitMix(ref h);
        random._s3 = SplitMix(ref h);
        return random; // SplitMix64 never yields four zero words in a row, so the state is valid.
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15;
        return Mix(state);
    }

    // SplitMix64's finalizer (a bijection with full avalanche).
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    private static ulong BitRotateLeft(ulong value, int offset) => System.Numerics.BitOperations.RotateLeft(value, offset);
}
