using System;

namespace DinoCompiled.Tests.Compiled;

/// <summary>Norm-wise relative error ‖got − want‖ / ‖want‖, accumulated in double.</summary>
internal static class RelativeError
{
    public static double Of(ReadOnlySpan<float> got, ReadOnlySpan<float> want)
    {
        if (got.Length != want.Length) throw new ArgumentException($"Lengths differ: {got.Length} and {want.Length}.");
        double diff = 0, norm = 0;
        for (int i = 0; i < got.Length; i++)
        {
            double d = (double)got[i] - want[i];
            diff += d * d;
            norm += (double)want[i] * want[i];
        }
        if (double.IsNaN(diff)) return double.PositiveInfinity;
        return norm == 0 ? Math.Sqrt(diff) : Math.Sqrt(diff / norm);
    }
}
