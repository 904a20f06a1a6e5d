// Attention forward/backward against a float64 reference (per image and head: scores,
// softmax, weighted values) whose backward is checked by central differences, at the
// models' token counts and head sizes plus awkward ones.
using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class AttentionTests
{
    internal static double[] ReferenceForward(double[] qkv, int batch, int tokens, int heads, int dh, out double[] probs)
    {
        int dim = heads * dh;
        var output = new double[batch * tokens * dim];
        probs = new double[batch * heads * tokens * tokens];
        double scale = 1 / Math.Sqrt(dh);
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        for (int i = 0; i < tokens; i++)
        {
            var s = new double[tokens];
            double max = double.NegativeInfinity;
            for (int j = 0; j < tokens; j++)
            {
                double dot = 0;
                for (int d = 0; d < dh; d++) dot += Q(qkv, b, i, h, d) * K(qkv, b, j, h, d);
                s[j] = dot * scale;
                max = Math.Max(max, s[j]);
            }

            double sum = 0;
            for (int j = 0; j < tokens; j++) sum += s[j] = Math.Exp(s[j] - max);
            for (int j = 0; j < tokens; j++)
            {
                double p = s[j] / sum;
                probs[((b * heads + h) * tokens + i) * tokens + j] = p;
                for (int d = 0; d < dh; d++) output[(b * tokens + i) * dim + h * dh + d] += p * V(qkv, b, j, h, d);
            }
        }

        return output;

        double Q(double[] x, int b, int t, int h, int d) => x[(b * tokens + t) * 3 * dim + h * dh + d];
        double K(double[] x, int b, int t, int h, int d) => x[(b * tokens + t) * 3 * dim + dim + h * dh + d];
        double V(double[] x, int b, int t, int h, int d) => x[(b * tokens + t) * 3 * dim + 2 * dim + h * dh + d];
    }

    internal static double[] ReferenceBackward(double[] dOut, double[] qkv, int batch, int tokens, int heads, int dh)
    {
        int dim = heads * dh;
        ReferenceForward(qkv, batch, tokens, heads, dh, out double[] probs);
        var dQkv = new double[qkv.Length];
        double scale = 1 / Math.Sqrt(dh);
        for (int b = 0; b < batch; b++)
        for (int h = 0; h < heads; h++)
        {
            int Row(int t) => (b * tokens + t) * 3 * dim + h * dh;
            double P(int i, int j) => probs[((b * heads + h) * tokens + i) * tokens + j];
            for (int i = 0; i < tokens; i++)
            {
                var dp = new double[tokens];
                double rowDot = 0;
                for (int j = 0; j < tokens; j++)
                {
                    for (int d = 0; d < dh; d++) dp[j] += dOut[(b * tokens + i) * dim + h * dh + d] * qkv[Row(j) + 2 * dim + d];
                    rowDot += P(i, j) * dp[j];
                }

                for (int j = 0; j < tokens; j++)
                {
                    double ds = P(i, j) * (dp[j] - rowDot) * scale;
                    for (int d = 0; d < dh; d++)
                    {
                        dQkv[Row(i) + d] += ds * qkv[Row(j) + dim + d];
                        dQkv[Row(j) + dim + d] += ds * qkv[Row(i) + d];
                        dQkv[Row(j) + 2 * dim + d] += P(i, j) * dOut[(b * tokens + i) * dim + h * dh + d];
                    }
                }
            }
        }

        return dQkv;
    }

    /// <summary>Every (tokens, head dim) of the architecture sweep (Compiled/ArchitectureSweep), with 2 heads.</summary>
    public static IEnumerable<object[]> SweepShapes =>
        DinoCompiled.Tests.Compiled.ArchitectureSweep.AttentionShapes.Select(s => new object[] { 1, s.Tokens, 2, s.HeadDim });

    [Fact]
    public void ReferenceBackwardMatchesFiniteDifferences()
    {
        const int batch = 2, tokens = 3, heads = 2, dh = 2;
        double[] qkv = KernelTestData.ToDouble(KernelTestData.Uniform(1, batch * tokens * 3 * heads * dh, 2f));
        double[] dOut = KernelTestData.ToDouble(KernelTestData.Uniform(2, batch * tokens * heads * dh));
        FiniteDifference.AssertMatches(FiniteDifference.Gradient(x => ReferenceForward(x, batch, tokens, heads, dh, out _), qkv, dOut),
            ReferenceBackward(dOut, qkv, batch, tokens, heads, dh), "dQkv");
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 10, 4, 32)]   // FmnistTiny local crops
    [InlineData(1, 50, 4, 32)]   // FmnistTiny global crops
    [InlineData(1, 37, 6, 64)]   // ViT-S/16 local crops
    [InlineData(1, 197, 6, 64)]  // ViT-S/16 global crops
    [InlineData(2, 13, 3, 5)]    // head size not a multiple of the vector width
    [InlineData(1, 70, 2, 24)]
    [MemberData(nameof(SweepShapes))]
    public void MatchesReference(int batch, int tokens, int heads, int dh)
    {
        int dim = heads * dh;
        float[] qkv = KernelTestData.Uniform(tokens * 7 + dh, (long)batch * tokens * 3 * dim, 2f);
        float[] output = KernelTestData.Poisoned((long)batch * tokens * dim);
        float[] probs = KernelTestData.Poisoned((long)batch * heads * tokens * tokens);
        Attention.Forward(qkv, output, probs, batch, tokens, heads, dh);

        double[] qkvD = KernelTestData.ToDouble(qkv);
        double[] expected = ReferenceForward(qkvD, batch, tokens, heads, dh, out double[] expectedProbs);
        KernelAssert.Close(output, expected, "output");
        KernelAssert.Close(probs, expectedProbs, "probs");

        float[] dOut = KernelTestData.Uniform(3, output.Length);
        float[] dQkv = KernelTestData.Poisoned(qkv.Length);
        Attention.Backward(dOut, qkv, probs, dQkv, batch, tokens, heads, dh);
        KernelAssert.Close(dQkv, ReferenceBackward(KernelTestData.ToDouble(dOut), qkvD, batch, tokens, heads, dh), "dQkv");
    }
}
