using System;
using System.Linq;
using DinoCompiled.Data;
using Xunit;

namespace DinoCompiled.Tests.Data;

/// <summary>The per-crop random streams: a function of their key only, different for different keys, uniform.</summary>
public sealed class SampleRandomTests
{
    [Fact]
    public void TheSameKeyGivesTheSameStream()
    {
        var a = SampleRandom.ForCrop(42, 3, 1000, 5);
        var b = SampleRandom.ForCrop(42, 3, 1000, 5);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void EveryPartOfTheKeyChangesTheStream()
    {
        ulong First(SampleRandom r) => r.NextUInt64();
        ulong reference = First(SampleRandom.ForCrop(42, 3, 1000, 5));
        Assert.NotEqual(reference, First(SampleRandom.ForCrop(43, 3, 1000, 5)));
        Assert.NotEqual(reference, First(SampleRandom.ForCrop(42, 4, 1000, 5)));
        Assert.NotEqual(reference, First(SampleRandom.ForCrop(42, 3, 1001, 5)));
        Assert.NotEqual(reference, First(SampleRandom.ForCrop(42, 3, 1000, 6)));
        Assert.NotEqual(First(SampleRandom.ForEpochShuffle(42, 3)), First(SampleRandom.ForCrop(42, 3, 0, 0)));
    }

    [Fact]
    public void DrawsAreUniform()
    {
        var random = SampleRandom.ForCrop(1, 0, 0, 0);
        var counts = new int[7];
        double sum = 0;
        for (int i = 0; i < 70000; i++)
        {
            counts[random.NextInt(7)]++;
            double u = random.NextDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            sum += u;
        }
        Assert.All(counts, c => Assert.InRange(c, 9500, 10500));
        Assert.InRange(sum / 70000, 0.49, 0.51);
    }

    [Fact]
    public void TheEpochShuffleIsAPermutationThatChangesWithTheEpoch()
    {
        var e0 = new int[1000];
        var e0Again = new int[1000];
        var e1 = new int[1000];
        EpochShuffle.Fill(9, 0, e0);
        EpochShuffle.Fill(9, 0, e0Again);
        EpochShuffle.Fill(9, 1, e1);
        Assert.Equal(Enumerable.Range(0, 1000), e0.Order());
        Assert.Equal(e0, e0Again);
        Assert.NotEqual(e0, e1);
        Assert.True(e0.Where((v, i) => v == i).Count() < 20, "the shuffle barely moved anything");
    }
}
