using System;
using DinoCompiled.Cpu;

namespace DinoCompiled.Distributed;

/// <summary>
/// The center update over all ranks (DINO-SPEC: the mean of the raw teacher outputs over both global crops, all 2B rows,
/// across all devices): each rank sums its rows' columns in double, the sums are all-reduced, and every rank moves the
/// center by the same global mean, as <see cref="DinoLoss.UpdateCenter(float*, float*, int, int, float)"/> does on one.
/// </summary>
public static unsafe class DistributedCenter
{
    /// <summary>Writes the column sums of <paramref name="teacher"/> [rows, outDim] to <paramref name="sums"/> [outDim].</summary>
    public static void ColumnSums(float* teacher, int rows, int outDim, double* sums)
    {
        // The same blocks of columns, summed row by row, as the one-process update.
        for (int j0 = 0; j0 < outDim; j0 += 64)
            SoftmaxMath.ColumnSumsDouble(teacher + j0, outDim, rows, Math.Min(64, outDim - j0), sums + j0);
    }

    /// <summary>c ← m·c + (1 − m)·sums / rows, with <paramref name="rows"/> the global row count (2B).</summary>
    public static void Update(double* sums, float* center, long rows, int outDim, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        double m = momentum;
        for (int j = 0; j < outDim; j++) center[j] = (float)(m * center[j] + (1 - m) * (sums[j] / rows));
    }
}
