// Inputs and poisoned outputs for the kernel tests: inputs are fresh seeded uniform values
// (never zeros), outputs start as NaN so that an element a kernel forgets to write fails.
using System;

namespace DinoCompiled.Tests.Kernels;

internal static class KernelTestData
{
    /// <summary>Uniform values in [-scale, scale), seeded.</summary>
    public static float[] Uniform(int seed, long length, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (long i = 0; i < length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    /// <summary>Uniform values in [low, high), seeded.</summary>
    public static float[] Uniform(int seed, long length, float low, float high)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (long i = 0; i < length; i++) values[i] = (float)(low + random.NextDouble() * (high - low));
        return values;
    }

    /// <summary>An output buffer filled with NaN.</summary>
    public static float[] Poisoned(long length)
    {
        var values = new float[length];
        Array.Fill(values, float.NaN);
        return values;
    }

    public static double[] ToDouble(float[] values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    public static float[] ToFloat(double[] values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }
}
