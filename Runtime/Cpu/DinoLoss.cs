using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>
/// The DINO loss as one fused kernel. Teacher: P_t^i = softmax((t_i − c)/τt) for the two global crops; student:
/// log P_s^v = log_softmax(s_v/τs) for every crop; loss = mean over the 2(V−1) pairs (i, v ≠ i) of the batch mean of
/// −Σ_k P_t^i[k] log P_s^v[k]; and its gradient ∂loss/∂s_v = (n_v·softmax(s_v/τs) − Σ_{i≠v} P_t^i) / (pairs·B·τs),
/// n_v being the number of teacher crops paired with v. Rows are crop-major. The loss is summed in double, per row
/// then in row order, so it is deterministic.
/// </summary>
public static unsafe class DinoLoss
{
    /// <summary>Floats of scratch <see cref="Forward"/> needs: the teacher's probabilities and one double per student row.</summary>
    public static long ScratchLength(int batch, int crops, int outDim) => 2L * batch * outDim + 2L * crops * batch;

    /// <summary>Returns the loss and writes dStudent (overwritten).</summary>
    public static double Forward(float* student, float* teacher, float* center, float* dStudent, float* scratch, int batch, int crops, int outDim, float studentTemp, float teacherTemp)
    {
        if (crops < 2) throw new ArgumentOutOfRangeException(nameof(crops), crops, "DINO needs the two global crops.");
        float* teacherProbs = scratch;
        double* rowLoss = (double*)(scratch + 2L * batch * outDim);
        var teacherBody = new TeacherBody { Teacher = teacher, Center = center, Probs = teacherProbs, OutDim = outDim, Temperature = teacherTemp };
        CpuParallel.For(2 * batch, ref teacherBody);
        int pairs = 2 * (crops - 1);
        var studentBody = new StudentBody
        {
            Student = student, TeacherProbs = teacherProbs, DStudent = dStudent, RowLoss = rowLoss, Batch = batch, OutDim = outDim,
            Temperature = studentTemp, GradientScale = 1f / (pairs * batch * studentTemp),
        };
        CpuParallel.For(crops * batch, ref studentBody);
        double total = 0;
        for (int r = 0; r < crops * batch; r++) total += rowLoss[r];
        return total / (pairs * batch);
    }

    /// <summary>center = m·center + (1 − m)·mean over the rows of teacher.</summary>
    public static void UpdateCenter(float* teacher, float* center, int rows, int outDim, float momentum)
    {
        var body = new CenterBody { Teacher = teacher, Center = center, Rows = rows, OutDim = outDim, Momentum = momentum };
        CpuParallel.For((outDim + 255) / 256, ref body);
    }

    private struct TeacherBody : IParallelBody
    {
        public float* Teacher, Center, Probs;
        public int OutDim;
        public float Temperature;

        public void Invoke(int row)
        {
            float* t = Teacher + (long)row * OutDim, p = Probs + (long)row * OutDim;
            float inverse = 1f / Temperature;
            for (int k = 0; k < OutDim; k++) p[k] = (t[k] - Center[k]) * inverse;
            float max = Max(p, OutDim);
            double sum = ExpShifted(p, p, OutDim, max);
            Scale(p, OutDim, (float)(1 / sum));
        }
    }

    private struct StudentBody : IParallelBody
    {
        public float* Student, TeacherProbs, DStudent;
        public double* RowLoss;
        public int Batch, OutDim;
        public float Temperature, GradientScale;

        public void Invoke(int row)
        {
            int v = row / Batch, b = row % Batch;
            float* s = Student + (long)row * OutDim, ds = DStudent + (long)row * OutDim;
            float inverse = 1f / Temperature;
            // ds holds the scaled logits, then the softmax, then the gradient.
            for (int k = 0; k < OutDim; k++) ds[k] = s[k] * inverse;
            float max = Max(ds, OutDim);
            float* probs = ds;
            double sum = ExpShifted(ds, probs, OutDim, max);
            float logSum = (float)(max + Math.Log(sum));

            // Teachers paired with this crop: both for a local crop, the other global crop for a global one.
            float* p0 = v != 0 ? TeacherProbs + (long)b * OutDim : null;
            float* p1 = v != 1 ? TeacherProbs + ((long)Batch + b) * OutDim : null;
            int paired = (p0 != null ? 1 : 0) + (p1 != null ? 1 : 0);
            float normalizer = (float)(1 / sum);
            double loss = 0;
            for (int k = 0; k < OutDim; k++)
            {
                float target = (p0 != null ? p0[k] : 0f) + (p1 != null ? p1[k] : 0f);
                loss -= target * (s[k] * inverse - logSum);
                ds[k] = (paired * probs[k] * normalizer - target) * GradientScale;
            }
            RowLoss[row] = loss;
        }
    }

    private static float Max(float* x, int n)
    {
        var m = Vector256.Create(float.NegativeInfinity);
        int k = 0;
        for (; k + 8 <= n; k += 8) m = Vector256.Max(m, Vector256.Load(x + k));
        float max = float.NegativeInfinity;
        for (int lane = 0; lane < 8; lane++) max = MathF.Max(max, m.GetElement(lane));
        for (; k < n; k++) max = MathF.Max(max, x[k]);
        return max;
    }

    /// <summary>y = exp(x − max) with the vector exp; returns Σ y in double (per-lane partials, then in order).</summary>
    private static double ExpShifted(float* x, float* y, int n, float max)
    {
        var vmax = Vector256.Create(max);
        double sum = 0;
        int k = 0;
        while (k + 8 <= n)
        {
            int end = Math.Min(n - (n - k) % 8, k + 1024);
            var partial = Vector256<float>.Zero;
            for (; k < end; k += 8)
            {
                var e = SimdMath.Exp(Vector256.Load(x + k) - vmax);
                e.Store(y + k);
                partial += e;
            }
            sum += Vector256.Sum(partial);
        }
        for (; k < n; k++)
        {
            y[k] = SimdMath.Exp(x[k] - max);
            sum += y[k];
        }
        return sum;
    }

    private static void Scale(float* x, int n, float factor)
    {
        var f = Vector256.Create(factor);
        int k = 0;
        for (; k + 8 <= n; k += 8) (Vector256.Load(x + k) * f).Store(x + k);
        for (; k < n; k++) x[k] *= factor;
    }

    private struct CenterBody : IParallelBody
    {
        public float* Teacher, Center;
        public int Rows, OutDim;
        public float Momentum;

        public void Invoke(int block)
        {
            int start = block * 256, end = Math.Min(OutDim, start + 256);
            for (int k = start; k < end; k++)
            {
                double sum = 0;
                for (int r = 0; r < Rows; r++) sum += Teacher[(long)r * OutDim + k];
                Center[k] = (float)(Momentum * Center[k] + (1 - Momentum) * (sum / Rows));
            }
        }
    }
}
