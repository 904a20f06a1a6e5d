using System;
using System.Linq;
using DinoCompiled.Visualization;
using Xunit;

namespace DinoCompiled.Tests.Visualization;

public sealed class ClassAttentionTests
{
    [Fact]
    public void PerHeadTakesTheClsQueryRowWithoutTheClsKey()
    {
        const int heads = 2, tokens = 3;
        var probabilities = Enumerable.Range(0, heads * tokens * tokens).Select(i => (float)i).ToArray();
        var maps = ClassAttention.PerHead(probabilities, heads, tokens);
        Assert.Equal(new float[] { 1, 2 }, maps[0]);
        Assert.Equal(new float[] { 10, 11 }, maps[1]);
        Assert.Equal(new float[] { 5.5f, 6.5f }, ClassAttention.Mean(maps));
    }

    [Fact]
    public void TheMaskIsTheSmallestSetOfLargestPatchesHoldingTheShare()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 50; trial++)
        {
            var map = Enumerable.Range(0, 49).Select(_ => (float)random.NextDouble()).ToArray();
            double threshold = 0.1 + 0.8 * random.NextDouble();
            var mask = ClassAttention.Mask(map, threshold);
            // The reference keeps the largest values whose ascending cumulative share exceeds 1 - threshold: every kept value
            // is at least every dropped one, and the dropped ones hold at most 1 - threshold of the mass.
            double total = map.Sum(v => (double)v);
            double dropped = map.Where((_, i) => !mask[i]).Sum(v => (double)v) / total;
            Assert.True(dropped <= 1 - threshold + 1e-12, $"dropped {dropped} of the mass at threshold {threshold}");
            Assert.True(map.Where((_, i) => mask[i]).Min() >= map.Where((_, i) => !mask[i]).DefaultIfEmpty(float.NegativeInfinity).Max());
            // One more dropped patch (the smallest kept) would drop more than 1 - threshold: the set is the smallest.
            double smallestKept = map.Where((_, i) => mask[i]).Min() / total;
            Assert.True(dropped + smallestKept > 1 - threshold - 1e-12);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassAttention.Mask(new float[4], 0));
    }
}
