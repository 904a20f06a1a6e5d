// The float64 reference for the GEMM tests: op(A) op(B) by the textbook triple loop, and
// the epilogues written out from their definitions.
using System;
using DinoCompiled.Cpu;

namespace DinoCompiled.Tests.Kernels;

internal static class GemmReference
{
    public static double[] Product(int m, int n, int k, float[] a, int lda, bool transA, float[] b, int ldb, bool transB)
    {
        var result = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }

                result[i * n + j] = sum;
            }
        }

        return result;
    }

    /// <summary>The epilogue applied to acc, plus beta times the old C ([m, n] with leading dimension ldc).</summary>
    public static double[] Apply(GemmEpilogueKind kind, double[] acc, int m, int n, float[]? bias, float[]? pre, int preLd,
        float[]? residual, int residualLd, float[]? rowScale, int rowsPerScale, float beta, float[] oldC, int ldc,
        out double[] preActivation)
    {
        var result = new double[m * n];
        preActivation = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            double scale = rowScale == null ? 1 : rowScale[i / rowsPerScale];
            for (int j = 0; j < n; j++)
            {
                double v = acc[i * n + j];
                double biasValue = bias == null ? 0 : bias[j];
                switch (kind)
                {
                    case GemmEpilogueKind.Bias:
                        v += biasValue;
                        break;
                    case GemmEpilogueKind.BiasGelu:
                        v += biasValue;
                        preActivation[i * n + j] = v;
                        v = ReferenceMath.Gelu(v);
                        break;
                    case GemmEpilogueKind.BiasResidual:
                        v = residual![i * residualLd + j] + scale * (v + biasValue);
                        break;
                    case GemmEpilogueKind.GeluBackward:
                        v *= ReferenceMath.GeluDerivative(pre![i * preLd + j]);
                        break;
                }

                if (beta != 0) v += beta * (double)oldC[i * ldc + j];
                result[i * n + j] = v;
            }
        }

        return result;
    }

    /// <summary>The logical [rows, cols] part of a strided buffer.</summary>
    public static float[] Extract(float[] buffer, int rows, int cols, int ld)
    {
        var result = new float[rows * cols];
        for (int i = 0; i < rows; i++) Array.Copy(buffer, i * ld, result, i * cols, cols);
        return result;
    }

    /// <summary>A strided buffer whose logical part is random and whose padding is NaN.</summary>
    public static float[] StridedRandom(int seed, int rows, int cols, int ld)
    {
        float[] values = KernelTestData.Poisoned((long)Math.Max(rows, 1) * ld);
        float[] random = KernelTestData.Uniform(seed, (long)rows * cols);
        for (int i = 0; i < rows; i++) Array.Copy(random, i * cols, values, i * ld, cols);
        return values;
    }
}
