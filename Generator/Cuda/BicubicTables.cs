using System;
using System.Collections.Generic;

namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// The bicubic resize of the position grid as constant tables, computed exactly as the Runtime's
/// <c>BicubicResizePlan</c> (torch F.interpolate bicubic, align_corners=False, A = -0.75, clamped taps; the scale factor
/// (g + 0.1) / G of the reference DINO): forward taps and weights per output index, and the merged transpose per source
/// index for the backward. Weights are float32 bit patterns so the CUDA source carries them exactly.
/// </summary>
internal sealed class BicubicTables
{
    private const double A = -0.75;

    public BicubicTables(int inSize, int outSize)
    {
        InSize = inSize;
        OutSize = outSize;
        double scale = (outSize + 0.1) / inSize;
        var taps = new int[outSize * 4];
        var exact = new double[outSize * 4];
        for (int o = 0; o < outSize; o++)
        {
            if (inSize == outSize)
            {
                taps[4 * o] = taps[4 * o + 1] = taps[4 * o + 2] = taps[4 * o + 3] = o;
                exact[4 * o + 1] = 1;
                continue;
            }
            double real = (o + 0.5) / scale - 0.5;
            double floor = Math.Floor(real);
            double t = real - floor;
            exact[4 * o] = Outer(t + 1);
            exact[4 * o + 1] = Inner(t);
            exact[4 * o + 2] = Inner(1 - t);
            exact[4 * o + 3] = Outer(2 - t);
            for (int k = 0; k < 4; k++) taps[4 * o + k] = (int)Math.Min(Math.Max(floor - 1 + k, 0), inSize - 1);
        }
        Taps = taps;
        Weights = Array.ConvertAll(exact, w => (float)w);

        var start = new int[inSize + 1];
        var outputs = new List<int>();
        var weights = new List<float>();
        for (int s = 0; s < inSize; s++)
        {
            start[s] = outputs.Count;
            for (int o = 0; o < outSize; o++)
            {
                double w = 0;
                bool any = false;
                for (int k = 0; k < 4; k++)
                {
                    if (taps[4 * o + k] != s) continue;
                    w += exact[4 * o + k];
                    any = true;
                }
                if (!any) continue;
                outputs.Add(o);
                weights.Add((float)w);
            }
        }
        start[inSize] = outputs.Count;
        TransposeStart = start;
        TransposeOutputs = outputs.ToArray();
        TransposeWeights = weights.ToArray();
    }

    public int InSize { get; }
    public int OutSize { get; }

    /// <summary>Output o reads source taps [4o, 4o + 4).</summary>
    public int[] Taps { get; }
    public float[] Weights { get; }

    /// <summary>Source s receives from outputs TransposeOutputs[k], k in [TransposeStart[s], TransposeStart[s + 1]).</summary>
    public int[] TransposeStart { get; }
    public int[] TransposeOutputs { get; }
    public float[] TransposeWeights { get; }

    private static double Inner(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;

    private static double Outer(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}
