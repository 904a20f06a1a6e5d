using System;
using System.Linq;
using DinoCompiled.Cpu;
using DinoCompiled.Evaluation;
using DinoCompiled.Tests.Kernels;
using Xunit;

namespace DinoCompiled.Tests.Evaluation;

/// <summary>Collapse statistics on constructed uniform and one-hot outputs, against a float64 reference, and against the training loss.</summary>
public sealed unsafe class CollapseMonitorTests
{
    private const int K = 64, Batch = 4, Crops = 4;

    [Fact]
    public void UniformOutputsAreAUniformCollapse()
    {
        // Equal logits in every row: both distributions are flat, whatever the center and temperatures.
        var teacher = Enumerable.Repeat(0.3f, 2 * Batch * K).ToArray();
        var student = Enumerable.Repeat(-1.7f, Crops * Batch * K).ToArray();
        var center = Enumerable.Repeat(0.1f, K).ToArray();

        var stats = CollapseMonitor.Measure(teacher, center, 0.04f, Batch, student, Crops);

        double lnK = Math.Log(K);
        Assert.Equal(lnK, stats.LnK, 12);
        Assert.Equal(lnK, stats.TeacherEntropy, 9);
        Assert.Equal(lnK, stats.MeanDistributionEntropy, 9);
        Assert.Equal(0, stats.TeacherStudentKl!.Value, 6);
        Assert.Equal(lnK, stats.Loss!.Value, 6);
        Assert.Equal(CollapseKind.Uniform, stats.Kind);
        Assert.True(stats.IsCollapsing);
        Assert.Contains("collapsing (uniform", stats.Describe());
    }

    [Fact]
    public void EveryImageOnTheSameOutputIsAOneHotCollapse()
    {
        var teacher = OneHotRows(2 * Batch, _ => 5);
        var student = OneHotRows(Crops * Batch, _ => 5);

        var stats = CollapseMonitor.Measure(teacher, new float[K], 0.04f, Batch, student, Crops);

        // (t − c)/τt is 25 at output 5 and 0 elsewhere: H = ln(1 + 63 e^-25) + 63·25·e^-25/(1 + 63 e^-25) ≈ 2.2e-8.
        Assert.InRange(stats.TeacherEntropy, 0, 1e-6);
        Assert.InRange(stats.MeanDistributionEntropy, 0, 1e-6);
        Assert.Equal(CollapseKind.OneHot, stats.Kind);
        Assert.Contains("collapsing (one-hot", stats.Describe());
    }

    [Fact]
    public void SharpOutputsSpreadOverImagesAreHealthy()
    {
        // Each teacher row one-hot on its own output: sharp per image, yet the batch uses 2B different outputs.
        var teacher = OneHotRows(2 * Batch, row => row);
        var student = OneHotRows(Crops * Batch, row => row % (2 * Batch));

        var stats = CollapseMonitor.Measure(teacher, new float[K], 0.04f, Batch, student, Crops);

        Assert.InRange(stats.TeacherEntropy, 0, 1e-6);
        Assert.Equal(Math.Log(2 * Batch), stats.MeanDistributionEntropy, 6);
        Assert.Equal(CollapseKind.None, stats.Kind);
        Assert.False(stats.IsCollapsing);
        Assert.EndsWith(": no collapse", stats.Describe());
    }

    [Fact]
    public void RandomOutputsMatchTheFloat64Reference()
    {
        var teacher = KernelTestData.Uniform(1, 2 * Batch * K, 1f);
        var student = KernelTestData.Uniform(2, Crops * Batch * K, 1f);
        var center = KernelTestData.Uniform(3, K, 0.2f);

        var stats = CollapseMonitor.Measure(teacher, center, 0.07f, Batch, student, Crops, 0.1f);
        // The monitor takes float temperatures; the reference divides by the same values.
        var reference = Reference(teacher, center, 0.07f, student, 0.1f);

        Assert.Equal(reference.TeacherEntropy, stats.TeacherEntropy, 1e-9);
        // The mean distribution and the KL use the probabilities as stored, in float: about 1e-8 of them.
        Assert.Equal(reference.MeanEntropy, stats.MeanDistributionEntropy, 1e-7);
        Assert.Equal(reference.Kl, stats.TeacherStudentKl!.Value, 1e-5);
        Assert.Equal(reference.CrossEntropy, stats.Loss!.Value, 1e-5);
    }

    [Fact]
    public void TheLossIsTheTrainingLoss()
    {
        var teacher = KernelTestData.Uniform(4, 2 * Batch * K, 1f);
        var student = KernelTestData.Uniform(5, Crops * Batch * K, 1f);
        var center = KernelTestData.Uniform(6, K, 0.2f);
        var gradient = new float[student.Length];
        var scratch = new float[DinoLoss.ScratchLength(Batch, Crops, K)];
        double loss;
        fixed (float* s = student, t = teacher, c = center, g = gradient, w = scratch)
            loss = DinoLoss.Forward(s, t, c, g, w, Batch, Crops, K, 0.1f, 0.04f);

        var stats = CollapseMonitor.Measure(teacher, center, 0.04f, Batch, student, Crops, 0.1f);

        Assert.Equal(loss, stats.Loss!.Value, 1e-4 * loss);
        Assert.Equal(stats.Loss!.Value, stats.TeacherEntropy + stats.TeacherStudentKl!.Value, 1e-9);
    }

    [Fact]
    public void BatchesAverageByRowsAndTheTeacherAloneGivesNoKl()
    {
        var monitor = new CollapseMonitor(K);
        monitor.Add(Enumerable.Repeat(0f, 2 * Batch * K).ToArray(), new float[K], 0.04f, Batch);
        monitor.Add(OneHotRows(2 * Batch, _ => 0), new float[K], 0.04f, Batch);

        var stats = monitor.Statistics;

        Assert.Equal(2, stats.Batches);
        Assert.Equal(Math.Log(K) / 2, stats.TeacherEntropy, 6);
        Assert.Equal(Math.Log(K) / 2, stats.MeanDistributionEntropy, 6);
        Assert.Null(stats.TeacherStudentKl);
        Assert.Null(stats.Loss);
        monitor.Reset();
        Assert.Throws<InvalidOperationException>(() => monitor.Statistics);
    }

    [Theory]
    [InlineData(0.99, 0.99, 1.5, CollapseKind.Uniform)]  // flat teacher
    [InlineData(0.92, 0.99, 1.005, CollapseKind.Uniform)] // loss at ln K with a nearly flat teacher
    [InlineData(0.70, 0.99, 1.005, CollapseKind.None)]    // loss passing ln K on its way down, teacher sharp
    [InlineData(0.04, 0.04, 0.05, CollapseKind.OneHot)]   // sharp teacher, every image on the same output
    [InlineData(0.04, 0.60, 0.30, CollapseKind.None)]     // sharp teacher, images spread over outputs
    [InlineData(0.50, 0.90, 0.80, CollapseKind.None)]
    public void TheVerdictFollowsTheDocumentedThresholds(double teacherShare, double meanShare, double lossShare, CollapseKind kind)
    {
        double lnK = Math.Log(65536);
        var stats = new CollapseStatistics(65536, 1, teacherShare * lnK, meanShare * lnK, (lossShare - teacherShare) * lnK, lossShare * lnK);

        Assert.Equal(kind, stats.Kind);
    }

    [Fact]
    public void ShapesThatDisagreeAreNamed()
    {
        var monitor = new CollapseMonitor(K);
        var error = Assert.Throws<ArgumentException>(() => monitor.Add(new float[2 * Batch * K], new float[K], 0.04f, Batch, new float[3 * Batch * K], Crops));
        Assert.StartsWith($"The student outputs hold {3 * Batch * K} floats; {Crops} crops × {Batch} images × {K} need {Crops * Batch * K}.", error.Message);
    }

    private static float[] OneHotRows(int rows, Func<int, int> hot)
    {
        var values = new float[rows * K];
        for (int r = 0; r < rows; r++) values[r * K + hot(r)] = 1f;
        return values;
    }

    private static (double TeacherEntropy, double MeanEntropy, double Kl, double CrossEntropy) Reference(
        float[] teacher, float[] center, double teacherTemp, float[] student, double studentTemp)
    {
        double[] Softmax(float[] logits, int row, Func<int, double> shift, double temp)
        {
            var z = Enumerable.Range(0, K).Select(j => (logits[row * K + j] - shift(j)) / temp).ToArray();
            double max = z.Max();
            var e = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }
        double Entropy(double[] p) => -p.Where(v => v > 0).Sum(v => v * Math.Log(v));

        var pt = Enumerable.Range(0, 2 * Batch).Select(r => Softmax(teacher, r, j => center[j], teacherTemp)).ToArray();
        var ps = Enumerable.Range(0, Crops * Batch).Select(r => Softmax(student, r, _ => 0, studentTemp)).ToArray();
        double teacherEntropy = pt.Average(Entropy);
        double meanEntropy = Entropy(Enumerable.Range(0, K).Select(j => pt.Average(p => p[j])).ToArray());
        double kl = 0, crossEntropy = 0;
        int pairs = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int v = 0; v < Crops; v++)
            {
                if (v == i) continue;
                for (int b = 0; b < Batch; b++)
                {
                    var p = pt[i * Batch + b];
                    var q = ps[v * Batch + b];
                    kl += Enumerable.Range(0, K).Sum(j => p[j] * (Math.Log(p[j]) - Math.Log(q[j])));
                    crossEntropy -= Enumerable.Range(0, K).Sum(j => p[j] * Math.Log(q[j]));
                    pairs++;
                }
            }
        }
        return (teacherEntropy, meanEntropy, kl / pairs, crossEntropy / pairs);
    }
}
