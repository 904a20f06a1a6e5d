using System;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Models;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// The taps of the compiled forward (every block's tokens and attention probabilities, read from the arena after the
/// forward) against the float64 reference backbone on random images and informative random parameters.
/// </summary>
public sealed unsafe class DenseFeatureExtractorTests
{
    private const int Batch = 3;

    [Fact]
    public void EveryBlockTokensAndAttentionMatchTheFloat64Reference()
    {
        var description = FmnistTiny.Description;
        var a = description.Architecture;
        var random = new Random(17);
        using var parameters = new NativeBuffer(description.Parameters.FlatLength);
        ParameterInitializer.Initialize(parameters.Data, description.Parameters, seed: 5);
        InformativeParameters.Fill(parameters.Span, description.Parameters, random);
        float[] images = Enumerable.Range(0, Batch * a.Channels * a.GlobalCrop * a.GlobalCrop).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        using var input = new NativeBuffer(images.Length);
        images.CopyTo(input.Span);

        using var extractor = new DenseFeatureExtractor<FmnistTiny>(maxBatch: 4);
        extractor.Run(parameters.Ptr, input.Ptr, Batch);
        int t = extractor.Tokens, d = extractor.Dimension;
        Assert.Equal(50, t);

        double[] theta = parameters.Span.ToArray().Select(x => (double)x).ToArray();
        var reference = new ReferenceBackbone(description);
        var tokens = new double[a.Depth][];
        var probs = new double[a.Depth][];
        for (int b = 0; b < a.Depth; b++)
        {
            tokens[b] = new double[Batch * t * d];
            probs[b] = new double[Batch * a.Blocks[b].Heads * t * t];
        }
        var cls = reference.Forward(theta, images, Batch, (n, b, x, p) =>
        {
            Array.Copy(x, 0, tokens[b], n * t * d, t * d);
            Array.Copy(p, 0, probs[b], n * p.Length, p.Length);
        });

        for (int b = 0; b < a.Depth; b++)
        {
            double worst = MaxError(extractor.BlockOutput(b), tokens[b]) / tokens[b].Max(Math.Abs);
            Assert.True(worst <= 2e-5, $"block {b}: tokens differ from the float64 reference by {worst:E2} of their largest magnitude (bound 2e-5)");
            double worstProbability = MaxError(extractor.AttentionProbabilities(b), probs[b]);
            Assert.True(worstProbability <= 1e-5, $"block {b}: attention probabilities differ from the float64 reference by {worstProbability:E2} (bound 1e-5)");
        }

        // Through the final norm, every token; its CLS rows are the features the trainer evaluates, bit for bit.
        var normalized = new float[Batch * t * d];
        extractor.NormalizedTokens(a.Depth - 1, normalized);
        var expected = reference.FinalNorm(theta, tokens[a.Depth - 1], Batch * t);
        double normError = MaxError(normalized, expected) / expected.Max(Math.Abs);
        Assert.True(normError <= 2e-5, $"normalized tokens differ from the float64 reference by {normError:E2} (bound 2e-5)");
        for (int n = 0; n < Batch; n++)
            Assert.True(normalized.AsSpan(n * t * d, d).SequenceEqual(extractor.ClassFeatures.Slice(n * d, d)), $"image {n}: CLS row of the normalized tokens is not the CLS feature");
        Assert.True(MaxError(extractor.ClassFeatures, cls) / cls.Max(Math.Abs) <= 2e-5);
    }

    [Fact]
    public void ReadingBeforeARunOrAMissingBlockIsAClearError()
    {
        using var extractor = new DenseFeatureExtractor<FmnistTiny>(maxBatch: 1);
        var before = Assert.Throws<InvalidOperationException>(() => extractor.BlockOutput(0).Length);
        Assert.Contains("Run a batch", before.Message);
        var block = Assert.Throws<ArgumentOutOfRangeException>(() => extractor.Heads(4));
        Assert.Contains("blocks 0 to 3", block.Message);
        var tap = Assert.Throws<ArgumentException>(() => FmnistTiny.Description.Arenas[0].Tap("blocks.9"));
        Assert.Contains("Backbone28 has no tap 'blocks.9'", tap.Message);
        Assert.Empty(FmnistTiny.Description.Arenas.Single(p => p.Segment == "Head").Taps);
    }

    private static double MaxError(ReadOnlySpan<float> got, double[] want)
    {
        Assert.Equal(want.Length, got.Length);
        double worst = 0;
        for (int i = 0; i < got.Length; i++) worst = Math.Max(worst, Math.Abs(got[i] - want[i]));
        return worst;
    }
}
