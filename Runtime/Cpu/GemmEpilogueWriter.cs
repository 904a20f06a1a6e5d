// Writes finished accumulator rows into C through the epilogue, while the micro-tile is
// still in L1: C = epilogue(acc) + beta C. C is read only when beta != 0, so a C poisoned
// with NaN stays harmless for beta = 0.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

internal static unsafe class GemmEpilogueWriter
{
    /// <summary>C[row, col .. col + count) from acc[0 .. count).</summary>
    public static void WriteRow(in GemmEpilogue e, float* acc, float* c, int count, float beta, int row, int col)
    {
        float* bias = e.Bias == null ? null : e.Bias + col;
        float* pre = e.PreActivation == null ? null : e.PreActivation + (long)row * e.PreActivationLd + col;
        float* residual = e.Residual == null ? null : e.Residual + (long)row * e.ResidualLd + col;
        float scale = e.RowScale == null ? 1f : e.RowScale[row / e.RowsPerScale];
        GemmEpilogueKind kind = e.Kind;

        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 16 <= count; j += 16)
            {
                Vector512<float> v = Vector512.Load(acc + j);
                Vector512<float> biasV = bias == null ? Vector512<float>.Zero : Vector512.Load(bias + j);
                switch (kind)
                {
                    case GemmEpilogueKind.Bias:
                        v += biasV;
                        break;
                    case GemmEpilogueKind.BiasGelu:
                        v += biasV;
                        v.Store(pre + j);
                        v = SimdMath.Gelu(v);
                        break;
                    case GemmEpilogueKind.BiasResidual:
                        v = Vector512.FusedMultiplyAdd(v + biasV, Vector512.Create(scale), Vector512.Load(residual + j));
                        break;
                    case GemmEpilogueKind.GeluBackward:
                        v *= SimdMath.GeluDerivative(Vector512.Load(pre + j));
                        break;
                }

                if (beta != 0f) v = Vector512.FusedMultiplyAdd(Vector512.Load(c + j), Vector512.Create(beta), v);
                v.Store(c + j);
            }
        }

        for (; j + 8 <= count; j += 8)
        {
            Vector256<float> v = Vector256.Load(acc + j);
            Vector256<float> biasV = bias == null ? Vector256<float>.Zero : Vector256.Load(bias + j);
            switch (kind)
            {
                case GemmEpilogueKind.Bias:
                    v += biasV;
                    break;
                case GemmEpilogueKind.BiasGelu:
                    v += biasV;
                    v.Store(pre + j);
                    v = SimdMath.Gelu(v);
                    break;
                case GemmEpilogueKind.BiasResidual:
                    v = Vector256.FusedMultiplyAdd(v + biasV, Vector256.Create(scale), Vector256.Load(residual + j));
                    break;
                case GemmEpilogueKind.GeluBackward:
                    v *= SimdMath.GeluDerivative(Vector256.Load(pre + j));
                    break;
            }

            if (beta != 0f) v = Vector256.FusedMultiplyAdd(Vector256.Load(c + j), Vector256.Create(beta), v);
            v.Store(c + j);
        }

        for (; j < count; j++)
        {
            c[j] = Scalar(kind, acc[j], bias == null ? 0f : bias[j], pre, residual, scale, j, beta, c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Scalar(GemmEpilogueKind kind, float v, float biasValue, float* pre, float* residual, float scale, int j, float beta, float* c)
    {
        switch (kind)
        {
            case GemmEpilogueKind.Bias:
                v += biasValue;
                break;
            case GemmEpilogueKind.BiasGelu:
                v += biasValue;
                pre[j] = v;
                v = SimdMath.Gelu(v);
                break;
            case GemmEpilogueKind.BiasResidual:
                v = float.FusedMultiplyAdd(v + biasValue, scale, residual[j]);
                break;
            case GemmEpilogueKind.GeluBackward:
                v *= SimdMath.GeluDerivative(pre[j]);
                break;
        }

        return beta != 0f ? float.FusedMultiplyAdd(c[j], beta, v) : v;
    }

    /// <summary>Copies (or adds) the valid part of an edge micro-tile into C.</summary>
    public static void CopyTile(float* tile, int ldTile, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + (long)r * ldTile;
            float* dst = c + (long)r * ldc;
            if (accumulate)
            {
                for (int j = 0; j < cols; j++) dst[j] += src[j];
            }
            else
            {
                for (int j = 0; j < cols; j++) dst[j] = src[j];
            }
        }
    }
}
