using System;
using System.Numerics;

namespace DinoCompiled.Training;

/// <summary>
/// DINO's per-tensor gradient clipping: for each trainable tensor, n = ‖g‖ and, when max/(n + 1e-6) &lt; 1,
/// g ← g · max/(n + 1e-6). Norms are summed in double so the result does not depend on the tensor's size.
/// </summary>
public static unsafe class GradientClipping
{
    /// <summary>Clips every trainable tensor of <paramref name="gradients"/> in place; writes each tensor's norm before clipping into <paramref name="norms"/>.</summary>
    public static void ClipPerTensor(float* gradients, ParameterTable table, float maxNorm, Span<double> norms)
    {
        if (norms.Length < table.Count) throw new ArgumentException($"Need {table.Count} norms, got {norms.Length}.", nameof(norms));
        for (int t = 0; t < table.Count; t++)
        {
            var p = table[t];
            if (!p.Trainable) { norms[t] = 0; continue; }
            float* g = gradients + p.Offset;
            double norm = Math.Sqrt(SumOfSquares(g, p.Count));
            norms[t] = norm;
            double coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1) Scale(g, p.Count, (float)coefficient);
        }
    }

    private static double SumOfSquares(float* x, long count)
    {
        double total = 0;
        long i = 0;
        // Blocks of float partial sums, folded into double: fast, and exact enough for a clipping threshold.
        while (i < count)
        {
            long end = Math.Min(count, i + 4096);
            var acc = Vector<float>.Zero;
            for (; i + Vector<float>.Count <= end; i += Vector<float>.Count)
            {
                var v = *(Vector<float>*)(x + i);
                acc += v * v;
            }
            double block = Vector.Sum(acc);
            for (; i < end; i++) block += (double)x[i] * x[i];
            total += block;
        }
        return total;
    }

    private static void Scale(float* x, long count, float factor)
    {
        for (long i = 0; i < count; i++) x[i] *= factor;
    }
}
