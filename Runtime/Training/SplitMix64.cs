namespace DinoCompiled.Training;

/// <summary>A small, fast, splittable generator (Steele et al.): its whole state is one word, so streams are cheap to derive and to save.</summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>A generator whose state is <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15ul;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ul;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBul;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1ul << 53));

    /// <summary>Hashes several words into one seed, so (seed, step, group) streams do not overlap.</summary>
    public static ulong Mix(params ulong[] words)
    {
        var generator = new SplitMix64(0x243F6A8885A308D3ul);
        ulong state = 0;
        foreach (ulong word in words)
        {
            generator._state ^= word;
            state ^= generator.NextUInt64();
        }
        return state;
    }
}
