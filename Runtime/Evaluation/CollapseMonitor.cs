// Collapse monitoring as in the DINO paper (section 5.3, figure 7): the teacher's output entropy and the KL between
// teacher and student, against ln K. Rows are crop-major as in DinoStep: teacher [2B, K] (global crop i of image b at
// row i·B + b), student [V·B, K]. The teacher's distribution is the loss's: softmax((t − c) / τt) with the center
// used for that step. All sums are in double and in a fixed order, so the numbers do not depend on the thread count.
using System;
using DinoCompiled.Cpu;

namespace DinoCompiled.Evaluation;

/// <summary>Accumulates collapse statistics over a run's batches (an epoch, say) and reports their means.</summary>
public sealed unsafe class CollapseMonitor
{
    private float[] _teacherProbabilities = Array.Empty<float>();
    private double[] _rowValues = Array.Empty<double>();
    private double[] _meanDistribution = Array.Empty<double>();
    private double _teacherEntropySum, _meanEntropySum, _crossEntropySum, _klSum;
    private long _teacherRows, _pairs;
    private int _batches;

    /// <summary>A monitor for a head with <paramref name="outDim"/> outputs.</summary>
    public CollapseMonitor(int outDim)
    {
        if (outDim < 2) throw new ArgumentOutOfRangeException(nameof(outDim), outDim, "Collapse is measured on at least 2 outputs.");
        OutDim = outDim;
    }

    /// <summary>K.</summary>
    public int OutDim { get; }

    /// <summary>Batches added since construction or <see cref="Reset"/>.</summary>
    public int BatchCount => _batches;

    /// <summary>The means over every batch added since construction or <see cref="Reset"/>.</summary>
    /// <exception cref="InvalidOperationException">No batch was added.</exception>
    public CollapseStatistics Statistics => _batches == 0
        ? throw new InvalidOperationException("No batch was added to the collapse monitor.")
        : new CollapseStatistics(OutDim, _batches, _teacherEntropySum / _teacherRows, _meanEntropySum / _batches,
            _pairs > 0 ? _klSum / _pairs : null, _pairs > 0 ? _crossEntropySum / _pairs : null);

    /// <summary>Forgets every batch.</summary>
    public void Reset()
    {
        _teacherEntropySum = _meanEntropySum = _crossEntropySum = _klSum = 0;
        _teacherRows = _pairs = 0;
        _batches = 0;
    }

    /// <summary>The statistics of one batch.</summary>
    public static CollapseStatistics Measure(ReadOnlySpan<float> teacherLogits, ReadOnlySpan<float> center, float teacherTemperature, int batch,
        ReadOnlySpan<float> studentLogits = default, int crops = 0, float studentTemperature = 0.1f)
    {
        var monitor = new CollapseMonitor(center.Length);
        monitor.Add(teacherLogits, center, teacherTemperature, batch, studentLogits, crops, studentTemperature);
        return monitor.Statistics;
    }

    /// <summary>
    /// Adds one batch: the teacher's raw outputs on the 2 global crops [2·<paramref name="batch"/>, K], the center the
    /// step used [K] and its teacher temperature; and optionally the student's raw outputs on all
    /// <paramref name="crops"/> crops [crops·batch, K] with the student temperature (DINO: 0.1), for the KL and the loss.
    /// </summary>
    public void Add(ReadOnlySpan<float> teacherLogits, ReadOnlySpan<float> center, float teacherTemperature, int batch,
        ReadOnlySpan<float> studentLogits = default, int crops = 0, float studentTemperature = 0.1f)
    {
        int k = OutDim;
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "A batch holds at least one image.");
        if (center.Length != k) throw new ArgumentException($"The center holds {center.Length} floats; the head has {k} outputs.", nameof(center));
        if (teacherLogits.Length != 2L * batch * k)
            throw new ArgumentException($"The teacher outputs hold {teacherLogits.Length} floats; 2 crops × {batch} images × {k} need {2L * batch * k}.", nameof(teacherLogits));
        if (!(teacherTemperature > 0)) throw new ArgumentOutOfRangeException(nameof(teacherTemperature), teacherTemperature, "The temperature must be positive.");
        bool withStudent = !studentLogits.IsEmpty;
        if (withStudent)
        {
            if (crops < 2) throw new ArgumentOutOfRangeException(nameof(crops), crops, "The student sees at least the 2 global crops.");
            if (studentLogits.Length != (long)crops * batch * k)
                throw new ArgumentException($"The student outputs hold {studentLogits.Length} floats; {crops} crops × {batch} images × {k} need {(long)crops * batch * k}.", nameof(studentLogits));
            if (!(studentTemperature > 0)) throw new ArgumentOutOfRangeException(nameof(studentTemperature), studentTemperature, "The temperature must be positive.");
        }

        int teacherRows = 2 * batch, studentRows = withStudent ? crops * batch : 0;
        if (_teacherProbabilities.Length < (long)teacherRows * k) _teacherProbabilities = new float[(long)teacherRows * k];
        if (_rowValues.Length < Math.Max(teacherRows, studentRows)) _rowValues = new double[Math.Max(teacherRows, studentRows)];
        if (_meanDistribution.Length < k) _meanDistribution = new double[k];

        fixed (float* t = teacherLogits, c = center, s = studentLogits, p = _teacherProbabilities)
        fixed (double* rows = _rowValues)
        {
            var teacherBody = new TeacherRows { Logits = t, Center = c, Probabilities = p, Entropy = rows, OutDim = k, InverseTemperature = 1.0 / teacherTemperature };
            CpuParallel.For(teacherRows, ref teacherBody);
            double entropySum = 0;
            for (int r = 0; r < teacherRows; r++) entropySum += rows[r];

            var mean = _meanDistribution.AsSpan(0, k);
            mean.Clear();
            for (int r = 0; r < teacherRows; r++)
            {
                float* row = p + (long)r * k;
                for (int j = 0; j < k; j++) mean[j] += row[j];
            }
            double meanEntropy = 0;
            foreach (double sum in mean)
            {
                double q = sum / teacherRows;
                if (q > 0) meanEntropy -= q * Math.Log(q);
            }

            _teacherEntropySum += entropySum;
            _meanEntropySum += meanEntropy;
            _teacherRows += teacherRows;
            _batches++;
            if (!withStudent) return;

            var studentBody = new StudentRows { Logits = s, TeacherProbabilities = p, CrossEntropy = rows, Batch = batch, OutDim = k, InverseTemperature = 1.0 / studentTemperature };
            CpuParallel.For(studentRows, ref studentBody);
            double crossEntropySum = 0;
            for (int r = 0; r < studentRows; r++) crossEntropySum += rows[r];
            // Each teacher row is in (crops − 1) pairs, so the pairs' teacher entropy is (crops − 1) × the rows' sum,
            // and KL = cross-entropy − teacher entropy pair by pair.
            _crossEntropySum += crossEntropySum;
            _klSum += crossEntropySum - (crops - 1) * entropySum;
            _pairs += 2L * (crops - 1) * batch;
        }
    }

    /// <summary>Per teacher row: P = softmax((t − c)·(1/τt)) (stored as float) and its entropy H = lse − Σ P·z.</summary>
    private struct TeacherRows : IParallelBody
    {
        public float* Logits, Center, Probabilities;
        public double* Entropy;
        public int OutDim;
        public double InverseTemperature;

        public void Invoke(int row)
        {
            float* t = Logits + (long)row * OutDim, p = Probabilities + (long)row * OutDim;
            double max = double.NegativeInfinity;
            for (int j = 0; j < OutDim; j++) max = Math.Max(max, (t[j] - (double)Center[j]) * InverseTemperature);
            double sum = 0;
            for (int j = 0; j < OutDim; j++) sum += Math.Exp((t[j] - (double)Center[j]) * InverseTemperature - max);
            double logSum = max + Math.Log(sum), expected = 0;
            for (int j = 0; j < OutDim; j++)
            {
                double z = (t[j] - (double)Center[j]) * InverseTemperature;
                double probability = Math.Exp(z - logSum);
                p[j] = (float)probability;
                expected += probability * z;
            }
            Entropy[row] = logSum - expected;
        }
    }

    /// <summary>Per student row v·B + b: the cross-entropy −Σ P_t^i log P_s^v = lse(s/τs) − Σ P_t^i s/τs, summed over the global crops i ≠ v of image b.</summary>
    private struct StudentRows : IParallelBody
    {
        public float* Logits, TeacherProbabilities;
        public double* CrossEntropy;
        public int Batch, OutDim;
        public double InverseTemperature;

        public void Invoke(int row)
        {
            int crop = row / Batch, image = row % Batch;
            float* s = Logits + (long)row * OutDim;
            double max = double.NegativeInfinity;
            for (int j = 0; j < OutDim; j++) max = Math.Max(max, s[j] * InverseTemperature);
            double sum = 0;
            for (int j = 0; j < OutDim; j++) sum += Math.Exp(s[j] * InverseTemperature - max);
            double logSum = max + Math.Log(sum), total = 0;
            for (int teacherCrop = 0; teacherCrop < 2; teacherCrop++)
            {
                if (teacherCrop == crop) continue;
                float* p = TeacherProbabilities + ((long)teacherCrop * Batch + image) * OutDim;
                double dot = 0;
                for (int j = 0; j < OutDim; j++) dot += p[j] * (double)s[j];
                total += logSum - dot * InverseTemperature;
            }
            CrossEntropy[row] = total;
        }
    }
}
