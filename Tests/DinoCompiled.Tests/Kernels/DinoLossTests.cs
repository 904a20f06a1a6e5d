// The fused DINO loss against a float64 reference written from DINO-SPEC.md ("Loss"),
// whose gradient is checked by central differences; plus the collapse value ln K,
// stability with huge logits, and the center update.
using System;
using DinoCompiled.Cpu;
using Xunit;

namespace DinoCompiled.Tests.Kernels;

public sealed class DinoLossTests
{
    private static double[] Softmax(double[] logits)
    {
        double max = double.NegativeInfinity;
        foreach (double l in logits) max = Math.Max(max, l);
        var e = new double[logits.Length];
        double sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += e[k] = Math.Exp(logits[k] - max);
        for (int k = 0; k < logits.Length; k++) e[k] /= sum;
        return e;
    }

    private static double[] LogSoftmax(double[] logits)
    {
        double max = double.NegativeInfinity;
        foreach (double l in logits) max = Math.Max(max, l);
        double sum = 0;
        foreach (double l in logits) sum += Math.Exp(l - max);
        var result = new double[logits.Length];
        for (int k = 0; k < logits.Length; k++) result[k] = logits[k] - max - Math.Log(sum);
        return result;
    }

    private static double[] Row(double[] m, int row, int k, Func<double, int, double> map)
    {
        var r = new double[k];
        for (int j = 0; j < k; j++) r[j] = map(m[row * k + j], j);
        return r;
    }

    /// <summary>Mean over pairs (i in {0,1}, v != i) of the batch mean of -sum_k P_t^i log P_s^v.</summary>
    private static double ReferenceLoss(double[] student, double[] teacher, double[] center, int batch, int crops, int k, double ts, double tt)
    {
        double total = 0;
        for (int i = 0; i < 2; i++)
        for (int v = 0; v < crops; v++)
        {
            if (v == i) continue;
            for (int b = 0; b < batch; b++)
            {
                double[] p = Softmax(Row(teacher, i * batch + b, k, (x, j) => (x - center[j]) / tt));
                double[] logQ = LogSoftmax(Row(student, v * batch + b, k, (x, _) => x / ts));
                for (int j = 0; j < k; j++) total -= p[j] * logQ[j] / batch;
            }
        }

        return total / (2 * (crops - 1));
    }

    private static double[] ReferenceGradient(double[] student, double[] teacher, double[] center, int batch, int crops, int k, double ts, double tt)
    {
        var grad = new double[student.Length];
        double pairs = 2 * (crops - 1);
        for (int i = 0; i < 2; i++)
        for (int v = 0; v < crops; v++)
        {
            if (v == i) continue;
            for (int b = 0; b < batch; b++)
            {
                double[] p = Softmax(Row(teacher, i * batch + b, k, (x, j) => (x - center[j]) / tt));
                double[] q = Softmax(Row(student, v * batch + b, k, (x, _) => x / ts));
                for (int j = 0; j < k; j++) grad[(v * batch + b) * k + j] += (q[j] - p[j]) / ts / batch / pairs;
            }
        }

        return grad;
    }

    [Fact]
    public void ReferenceGradientMatchesFiniteDifferences()
    {
        const int batch = 2, crops = 4, k = 5;
        double[] student = KernelTestData.ToDouble(KernelTestData.Uniform(1, crops * batch * k));
        double[] teacher = KernelTestData.ToDouble(KernelTestData.Uniform(2, 2 * batch * k));
        double[] center = KernelTestData.ToDouble(KernelTestData.Uniform(3, k, 0.1f));
        FiniteDifference.AssertMatches(
            FiniteDifference.Gradient(s => ReferenceLoss(s, teacher, center, batch, crops, k, 0.1, 0.04), student),
            ReferenceGradient(student, teacher, center, batch, crops, k, 0.1, 0.04), "dStudent");
    }

    [Theory]
    [InlineData(3, 4, 37, 0.04f)]
    [InlineData(2, 2, 4096, 0.07f)]
    [InlineData(4, 10, 100, 0.04f)]
    [InlineData(1, 3, 65536, 0.04f)]
    [InlineData(5, 8, 1, 0.04f)]
    public void MatchesReference(int batch, int crops, int k, float teacherTemp)
    {
        const float studentTemp = 0.1f;
        float[] student = KernelTestData.Uniform(batch * 100 + k, (long)crops * batch * k, 3f);
        float[] teacher = KernelTestData.Uniform(batch * 100 + k + 1, 2L * batch * k, 3f);
        float[] center = KernelTestData.Uniform(7, k, 0.5f);
        float[] dStudent = KernelTestData.Poisoned(student.Length);
        float[] scratch = KernelTestData.Poisoned(DinoLoss.ScratchLength(batch, crops, k));

        double loss = DinoLoss.Forward(student, teacher, center, dStudent, scratch, batch, crops, k, studentTemp, teacherTemp);

        double[] s = KernelTestData.ToDouble(student), t = KernelTestData.ToDouble(teacher), c = KernelTestData.ToDouble(center);
        double expectedLoss = ReferenceLoss(s, t, c, batch, crops, k, studentTemp, teacherTemp);
        if (k > 1) KernelAssert.Close(loss, expectedLoss, "loss");
        else Assert.Equal(0, loss); // one class: every distribution is 1, log 1 = 0
        double[] expected = ReferenceGradient(s, t, c, batch, crops, k, studentTemp, teacherTemp);
        if (k > 1) KernelAssert.Close(dStudent, expected, "dStudent");
        else Assert.All(dStudent, g => Assert.Equal(0f, g)); // one class: q = p = 1, no gradient
    }

    [Fact]
    public void CollapsedOutputGivesLogK()
    {
        const int batch = 3, crops = 4, k = 4096;
        float[] student = new float[crops * batch * k], teacher = new float[2 * batch * k], center = new float[k];
        Array.Fill(student, 0.25f);
        Array.Fill(teacher, -1.5f);
        float[] dStudent = KernelTestData.Poisoned(student.Length);
        float[] scratch = new float[DinoLoss.ScratchLength(batch, crops, k)];
        double loss = DinoLoss.Forward(student, teacher, center, dStudent, scratch, batch, crops, k, 0.1f, 0.04f);
        Assert.Equal(Math.Log(k), loss, 1e-9);
        Assert.All(dStudent, g => Assert.InRange(Math.Abs(g), 0, 1e-9));
    }

    [Fact]
    public void HugeLogitsStayFinite()
    {
        const int batch = 2, crops = 3, k = 50;
        float[] student = KernelTestData.Uniform(1, crops * batch * k, 1000f), teacher = KernelTestData.Uniform(2, 2 * batch * k, 1000f);
        float[] center = new float[k], dStudent = KernelTestData.Poisoned(student.Length);
        float[] scratch = new float[DinoLoss.ScratchLength(batch, crops, k)];
        double loss = DinoLoss.Forward(student, teacher, center, dStudent, scratch, batch, crops, k, 0.1f, 0.04f);
        Assert.True(double.IsFinite(loss) && loss >= 0, $"loss {loss}");
        Assert.All(dStudent, g => Assert.True(float.IsFinite(g)));
        double[] s = KernelTestData.ToDouble(student), t = KernelTestData.ToDouble(teacher), c = new double[k];
        KernelAssert.Close(loss, ReferenceLoss(s, t, c, batch, crops, k, 0.1f, 0.04f), "loss");
    }

    [Theory]
    [InlineData(2, 37)]
    [InlineData(256, 4096)]
    [InlineData(1, 1)]
    public void UpdateCenterIsAnExponentialMovingMean(int rows, int k)
    {
        float[] teacher = KernelTestData.Uniform(1, (long)rows * k, 5f);
        float[] center = KernelTestData.Uniform(2, k);
        var expected = new double[k];
        for (int j = 0; j < k; j++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++) mean += teacher[r * k + j];
            expected[j] = 0.9 * center[j] + 0.1 * mean / rows;
        }

        DinoLoss.UpdateCenter(teacher, center, rows, k, 0.9f);
        KernelAssert.Close(center, expected, "center");
    }
}
