// The DINO loss, fused: teacher centring + sharpening softmax, student log-softmax,
// cross-entropy over all (teacher global crop i, student crop v != i) pairs, and the
// gradient with respect to the student logits, in one pass over each student row.
//
// For student crop v and sample b, with q = softmax(s / tau_s) and p_i the teacher
// distributions, the per-pair gradient is (q - p_i) / tau_s, so
//   dStudent[v, b] = (n_v q - sum_{i != v} p_i) / (tau_s 2 (V - 1) B),
// n_v = number of teacher crops paired with v (1 for the global crops, 2 for local ones).
// Softmax sums and the loss accumulate in double; every row's loss is stored and summed
// in row order, so the result does not depend on the thread count.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>The DINO self-distillation loss and its center update.</summary>
public static unsafe class DinoLoss
{
    private const int CenterBlockColumns = 64;

    private struct Job
    {
        public float* Student, Teacher, Center, DStudent, TeacherProbs;
        public double* RowLoss;
        public int Batch, Crops, OutDim, Rows;
        public float InvStudentTemp, InvTeacherTemp, GradScale, Momentum;
    }

    /// <summary>Floats of scratch <see cref="Forward(float*, float*, float*, float*, float*, int, int, int, float, float)"/> needs: the teacher probabilities [2 batch, outDim] and one double per student row.</summary>
    public static long ScratchLength(int batch, int crops, int outDim) => 2L * batch * outDim + 2L * crops * batch;

    /// <summary>
    /// Returns the loss; writes dStudent (overwritten) = d loss / d student. student is
    /// [crops batch, outDim], crop-major (crops 0 and 1 global); teacher is [2 batch, outDim].
    /// </summary>
    public static double Forward(float* student, float* teacher, float* center, float* dStudent, float* scratch,
        int batch, int crops, int outDim, float studentTemp, float teacherTemp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(crops, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(outDim, 1);
        if (!(studentTemp > 0)) throw new ArgumentOutOfRangeException(nameof(studentTemp));
        if (!(teacherTemp > 0)) throw new ArgumentOutOfRangeException(nameof(teacherTemp));

        // Row losses first, so that they are 8-byte aligned whenever scratch is.
        var job = new Job
        {
            Student = student, Teacher = teacher, Center = center, DStudent = dStudent,
            RowLoss = (double*)scratch, TeacherProbs = scratch + 2L * crops * batch,
            Batch = batch, Crops = crops, OutDim = outDim, Rows = crops * batch,
            InvStudentTemp = 1 / studentTemp, InvTeacherTemp = 1 / teacherTemp,
            GradScale = (float)(1.0 / (studentTemp * 2.0 * (crops - 1) * batch)),
        };
        CpuParallel.For(2 * batch, &TeacherRow, &job);
        CpuParallel.For(crops * batch, &StudentRow, &job);

        double total = 0;
        for (int r = 0; r < crops * batch; r++) total += Unsafe.ReadUnaligned<double>(job.RowLoss + r);
        return total / (2.0 * (crops - 1) * batch);
    }

    /// <summary>center = momentum center + (1 - momentum) mean over rows of teacher.</summary>
    public static void UpdateCenter(float* teacher, float* center, int rows, int outDim, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(outDim);
        var job = new Job { Teacher = teacher, Center = center, Rows = rows, OutDim = outDim, Momentum = momentum };
        CpuParallel.For((outDim + CenterBlockColumns - 1) / CenterBlockColumns, &CenterBlock, &job);
    }

    /// <summary>Span form of <see cref="Forward(float*, float*, float*, float*, float*, int, int, int, float, float)"/>.</summary>
    public static double Forward(ReadOnlySpan<float> student, ReadOnlySpan<float> teacher, ReadOnlySpan<float> center, Span<float> dStudent,
        Span<float> scratch, int batch, int crops, int outDim, float studentTemp, float teacherTemp)
    {
        SpanChecks.Length(student.Length, (long)crops * batch * outDim, nameof(student));
        SpanChecks.Length(teacher.Length, 2L * batch * outDim, nameof(teacher));
        SpanChecks.Length(center.Length, outDim, nameof(center));
        SpanChecks.Length(dStudent.Length, (long)crops * batch * outDim, nameof(dStudent));
        SpanChecks.Length(scratch.Length, ScratchLength(batch, crops, outDim), nameof(scratch));
        fixed (float* ps = student)
        fixed (float* pt = teacher)
        fixed (float* pc = center)
        fixed (float* pd = dStudent)
        fixed (float* pscratch = scratch)
        {
            return Forward(ps, pt, pc, pd, pscratch, batch, crops, outDim, studentTemp, teacherTemp);
        }
    }

    /// <summary>Span form of <see cref="UpdateCenter(float*, float*, int, int, float)"/>.</summary>
    public static void UpdateCenter(ReadOnlySpan<float> teacher, Span<float> center, int rows, int outDim, float momentum)
    {
        SpanChecks.Length(teacher.Length, (long)rows * outDim, nameof(teacher));
        SpanChecks.Length(center.Length, outDim, nameof(center));
        fixed (float* pt = teacher)
        fixed (float* pc = center)
        {
            UpdateCenter(pt, pc, rows, outDim, momentum);
        }
    }

    private static void TeacherRow(int row, void* state)
    {
        var job = (Job*)state;
        int k = job->OutDim;
        float* t = job->Teacher + (long)row * k;
        float* p = job->TeacherProbs + (long)row * k;
        float inv = job->InvTeacherTemp;
        // logits (t - c) / tau_t, written to p, then softmax in place.
        int j = 0;
        for (; j + 8 <= k; j += 8) ((Vector256.Load(t + j) - Vector256.Load(job->Center + j)) * inv).Store(p + j);
        for (; j < k; j++) p[j] = (t[j] - job->Center[j]) * inv;
        float max = SoftmaxMath.Max(p, k);
        double sum = SoftmaxMath.ExpInPlace(p, k, max);
        RowMath.Scale(p, (float)(1 / sum), p, k);
    }

    private static void StudentRow(int row, void* state)
    {
        var job = (Job*)state;
        int k = job->OutDim, batch = job->Batch;
        int v = row / batch, b = row - v * batch;
        float* s = job->Student + (long)row * k;
        float* d = job->DStudent + (long)row * k;
        float inv = job->InvStudentTemp;

        // d temporarily holds exp(s / tau_s - max).
        int j = 0;
        for (; j + 8 <= k; j += 8) (Vector256.Load(s + j) * inv).Store(d + j);
        for (; j < k; j++) d[j] = s[j] * inv;
        float max = SoftmaxMath.Max(d, k);
        double sum = SoftmaxMath.ExpInPlace(d, k, max);

        // The teacher crops paired with v: both globals for a local crop, the other global otherwise.
        float* p0 = v == 0 ? null : job->TeacherProbs + (long)b * k;
        float* p1 = v == 1 ? null : job->TeacherProbs + (long)(batch + b) * k;
        float pairs = p0 != null && p1 != null ? 2f : 1f;
        double loss = SoftmaxMath.CrossEntropyAndGradient(s, inv, max, sum, p0, p1, pairs, job->GradScale, d, k);
        Unsafe.WriteUnaligned(job->RowLoss + row, loss);
    }

    private static void CenterBlock(int block, void* state)
    {
        var job = (Job*)state;
        int j0 = block * CenterBlockColumns;
        int width = Math.Min(CenterBlockColumns, job->OutDim - j0);
        double* sums = stackalloc double[CenterBlockColumns];
        SoftmaxMath.ColumnSumsDouble(job->Teacher + j0, job->OutDim, job->Rows, width, sums);
        double m = job->Momentum;
        for (int j = 0; j < width; j++)
        {
            float* c = job->Center + j0 + j;
            *c = (float)(m * *c + (1 - m) * (sums[j] / job->Rows));
        }
    }
}
