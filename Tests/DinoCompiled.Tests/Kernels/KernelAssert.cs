// Norm-wise error checks, computed in double: ||got - ref|| / ||ref||. A NaN anywhere in
// `got` (an unwritten, poisoned element) makes the error NaN and the check fail.
using System;
using Xunit;
using Xunit.Sdk;

namespace DinoCompiled.Tests.Kernels;

internal static class KernelAssert
{
    /// <summary>The bound for float32 kernels against a float64 reference.</summary>
    public const double Float32Bound = 1e-5;

    public static double RelativeError(ReadOnlySpan<float> got, ReadOnlySpan<double> reference)
    {
        Assert.Equal(reference.Length, got.Length);
        double diff = 0, norm = 0;
        for (int i = 0; i < got.Length; i++)
        {
            double d = got[i] - reference[i];
            diff += d * d;
            norm += reference[i] * reference[i];
        }

        return norm == 0 ? Math.Sqrt(diff) : Math.Sqrt(diff / norm);
    }

    public static void Close(ReadOnlySpan<float> got, ReadOnlySpan<double> reference, string what, double bound = Float32Bound)
    {
        double error = RelativeError(got, reference);
        if (!(error < bound)) throw new XunitException($"{what}: relative error {error:E3} is not below {bound:E1}.");
    }

    public static void Close(double got, double reference, string what, double bound = Float32Bound)
    {
        double error = Math.Abs(got - reference) / Math.Max(Math.Abs(reference), double.Epsilon);
        if (!(error < bound)) throw new XunitException($"{what}: {got} vs {reference}, relative error {error:E3} is not below {bound:E1}.");
    }

    /// <summary>Every element equal, bit for bit.</summary>
    public static void BitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                throw new XunitException($"{what}: element {i} differs: {expected[i]:R} vs {actual[i]:R}.");
            }
        }
    }

    /// <summary>Elements outside the logical matrix (row padding) kept their poison.</summary>
    public static void PaddingUntouched(ReadOnlySpan<float> buffer, int rows, int cols, int ld, string what)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = cols; j < ld && (long)r * ld + j < buffer.Length; j++)
            {
                if (!float.IsNaN(buffer[r * ld + j])) throw new XunitException($"{what}: padding [{r}, {j}] was written.");
            }
        }
    }
}
