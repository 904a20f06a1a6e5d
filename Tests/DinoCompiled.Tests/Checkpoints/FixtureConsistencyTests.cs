using System;
using System.Globalization;
using System.Linq;
using DinoCompiled.Tests.Fixtures;
using Xunit;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>
/// The fixtures agree with the compiled architecture and with DINO-SPEC where that can be checked without a forward
/// pass: config metadata, drop-path scales, the loss and center computed from the stored head outputs, and the
/// bicubic cases' scale factors.
/// </summary>
public sealed class FixtureConsistencyTests
{
    [Theory]
    [MemberData(nameof(FixtureTests.ModelFixtures), MemberType = typeof(FixtureTests))]
    public void TheConfigIsTheCompiledArchitecture(string name)
    {
        var fixture = FixtureFile.Load(name);
        var arch = FixtureTests.CompiledModel(name).Architecture;

        Assert.Equal(name, fixture.Meta("model"));
        Assert.Equal(arch.Channels, fixture.MetaInt("channels"));
        Assert.Equal(arch.ImageSize, fixture.MetaInt("image_size"));
        Assert.Equal(arch.Patch, fixture.MetaInt("patch"));
        Assert.Equal(arch.EmbedDim, fixture.MetaInt("embed_dim"));
        Assert.Equal(arch.Depth, fixture.MetaInt("depth"));
        Assert.All(arch.Blocks, block => Assert.Equal(block.Heads, fixture.MetaInt("heads")));
        Assert.All(arch.Blocks, block => Assert.Equal(block.MlpHidden, fixture.MetaInt("mlp_hidden")));
        Assert.All(arch.Blocks, block => Assert.True(block.QkvBias));
        Assert.Equal(arch.LayerNormEps, fixture.MetaDouble("layer_norm_eps"));
        Assert.Equal(arch.GlobalCrop, fixture.MetaInt("global_crop"));
        Assert.Equal(arch.LocalCrop, fixture.MetaInt("local_crop"));

        int hidden = fixture.MetaInt("head_hidden");
        var widths = Enumerable.Repeat(hidden, fixture.MetaInt("head_nlayers") - 1).Append(fixture.MetaInt("head_bottleneck"));
        Assert.Equal(widths, arch.Head.LinearWidths);
        Assert.Equal(arch.Head.LinearWidths.Select((_, i) => i < arch.Head.LinearWidths.Length - 1), arch.Head.GeluAfter);
        Assert.Equal(arch.Head.OutDim, fixture.MetaInt("out_dim"));
        Assert.Equal(arch.Head.NormLastLayer, fixture.MetaBool("norm_last_layer"));

        // DINO draws the rates with a float32 linspace (0.0333333351 where we compile 1/30): equal to float32 precision.
        var rates = fixture.Meta("drop_path_rates").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture));
        Assert.Equal(arch.Blocks.Select(b => b.DropPath), rates, (x, y) => Math.Abs(x - y) < 1e-7);
    }

    [Theory]
    [MemberData(nameof(FixtureTests.ModelFixtures), MemberType = typeof(FixtureTests))]
    public void DropPathScalesAreZeroOrTheInverseKeepProbabilityOfTheirBlock(string name)
    {
        var fixture = FixtureFile.Load(name);
        var blocks = FixtureTests.CompiledModel(name).Architecture.Blocks;
        foreach (string tensor in new[] { "droppath.global.attn", "droppath.global.mlp", "droppath.local.attn", "droppath.local.mlp" })
        {
            float[] scales = fixture.Tensor(tensor);
            int rows = fixture.Shape(tensor)[1];
            for (int block = 0; block < blocks.Length; block++)
            {
                double kept = 1 / (1 - blocks[block].DropPath);
                for (int row = 0; row < rows; row++)
                {
                    float scale = scales[block * rows + row];
                    Assert.True(scale == 0 || Math.Abs(scale - kept) < 1e-6, $"{tensor}[{block}, {row}] = {scale}, expected 0 or {kept}");
                    Assert.True(scale != 0 || blocks[block].DropPath > 0, $"{tensor}[{block}, {row}] drops a block whose rate is 0");
                }
            }
            Assert.Contains(0f, scales); // the fixture exercises the dropped branch in every group
        }
    }

    [Theory]
    [MemberData(nameof(FixtureTests.ModelFixtures), MemberType = typeof(FixtureTests))]
    public void LossAndNextCenterFollowTheSpecFromTheStoredHeadOutputs(string name)
    {
        var fixture = FixtureFile.Load(name);
        int k = FixtureTests.CompiledModel(name).Architecture.Head.OutDim;
        int b = fixture.MetaInt("batch"), crops = 2 + fixture.MetaInt("local_crops");
        double studentTemp = fixture.MetaDouble("student_temp"), teacherTemp = fixture.MetaDouble("teacher_temp");
        double momentum = fixture.MetaDouble("center_momentum");
        double[] student = fixture.TensorAsDouble("output.student_head"), teacher = fixture.TensorAsDouble("output.teacher_head");
        double[] center = fixture.TensorAsDouble("center");

        // Loss: mean over pairs (teacher crop i in {0, 1}, student crop v != i) of the batch mean of -sum P_t log P_s.
        double total = 0;
        int pairs = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int v = 0; v < crops; v++)
            {
                if (v == i) continue;
                double pairSum = 0;
                for (int row = 0; row < b; row++)
                {
                    var teacherRow = teacher.AsSpan((i * b + row) * k, k).ToArray();
                    for (int j = 0; j < k; j++) teacherRow[j] -= center[j];
                    double[] pt = Softmax(teacherRow, teacherTemp);
                    double[] logPs = LogSoftmax(student.AsSpan((v * b + row) * k, k), studentTemp);
                    for (int j = 0; j < k; j++) pairSum -= pt[j] * logPs[j];
                }
                total += pairSum / b;
                pairs++;
            }
        }
        Assert.Equal(2 * (crops - 1), pairs);
        double loss = fixture.Tensor("output.loss")[0];
        Assert.True(Math.Abs(total / pairs - loss) < 1e-5 * loss, $"loss {total / pairs} from the head outputs, {loss} in the fixture");

        float[] centerNext = fixture.Tensor("output.center_next");
        for (int j = 0; j < k; j++)
        {
            double mean = 0;
            for (int row = 0; row < 2 * b; row++) mean += teacher[row * k + j];
            double expected = momentum * center[j] + (1 - momentum) * mean / (2 * b);
            Assert.True(Math.Abs(expected - centerNext[j]) < 1e-6, $"center_next[{j}] = {centerNext[j]}, expected {expected}");
        }
    }

    [Fact]
    public void BicubicCasesUseDinosScaleFactor()
    {
        var fixture = FixtureFile.Load(FixtureFile.BicubicResize);
        int cases = fixture.MetaInt("cases");
        Assert.Equal(4 * cases, fixture.Names.Length);
        for (int i = 0; i < cases; i++)
        {
            int from = fixture.MetaInt($"case{i}.G"), to = fixture.MetaInt($"case{i}.g");
            Assert.Equal((to + 0.1) / from, fixture.MetaDouble($"case{i}.scale"));
            int channels = fixture.Shape($"case{i}.input")[1];
            Assert.Equal(new[] { 1, channels, from, from }, fixture.Shape($"case{i}.input"));
            Assert.Equal(new[] { 1, channels, to, to }, fixture.Shape($"case{i}.output"));
            Assert.Equal(new[] { 1, channels, to, to }, fixture.Shape($"case{i}.grad_output"));
            Assert.Equal(new[] { 1, channels, from, from }, fixture.Shape($"case{i}.grad_input"));
        }
    }

    private static double[] Softmax(ReadOnlySpan<double> logits, double temperature)
    {
        double[] result = LogSoftmax(logits, temperature);
        for (int j = 0; j < result.Length; j++) result[j] = Math.Exp(result[j]);
        return result;
    }

    private static double[] LogSoftmax(ReadOnlySpan<double> logits, double temperature)
    {
        double max = double.NegativeInfinity;
        foreach (double x in logits) max = Math.Max(max, x / temperature);
        double sum = 0;
        foreach (double x in logits) sum += Math.Exp(x / temperature - max);
        double logSum = max + Math.Log(sum);
        var result = new double[logits.Length];
        for (int j = 0; j < logits.Length; j++) result[j] = logits[j] / temperature - logSum;
        return result;
    }
}
