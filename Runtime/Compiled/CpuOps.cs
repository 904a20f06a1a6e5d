using System;
using System.Runtime.CompilerServices;
using DinoCompiled.Cpu;

namespace DinoCompiled.Compiled;

/// <summary>
/// The operations the generated schedules call on the CPU, named as the model reads (Linear, LayerNorm, ...),
/// each mapped onto the kernel library with the matrix orientation it needs. Linear layers store W as
/// [out, in] (PyTorch), so y = x·Wᵀ + b, dx = dy·W, dW += dyᵀ·x.
/// </summary>
public static unsafe class CpuOps
{
    /// <summary>Unfolds images into patch rows (c, ky, kx order) for the patch-embedding GEMM.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Im2Col(Ptr images, Ptr columns, int units, int channels, int size, int patch) =>
        Patch.Im2Col(images, columns, units, channels, size, patch);

    /// <summary>y = x·Wᵀ + b.</summary>
    public static void Linear(Ptr x, Ptr w, Ptr bias, Ptr y, int rows, int input, int output) =>
        Gemm.Compute(rows, output, input, x, input, false, w, input, true, y, output, 0f,
            bias.IsNull ? default : new GemmEpilogue { Kind = GemmEpilogueKind.Bias, Bias = bias });

    /// <summary>y = gelu(x·Wᵀ + b), keeping the pre-activation for the backward.</summary>
    public static void LinearGelu(Ptr x, Ptr w, Ptr bias, Ptr pre, Ptr y, int rows, int input, int output) =>
        Gemm.Compute(rows, output, input, x, input, false, w, input, true, y, output, 0f,
            new GemmEpilogue { Kind = GemmEpilogueKind.BiasGelu, Bias = bias, PreActivation = pre, PreActivationLd = output });

    /// <summary>y = residual + s[row / rowsPerScale] · (x·Wᵀ + b): the residual add with drop path, in the GEMM's epilogue.</summary>
    public static void LinearResidual(Ptr x, Ptr w, Ptr bias, Ptr residual, Ptr rowScale, int rowsPerScale, Ptr y, int rows, int input, int output) =>
        Gemm.Compute(rows, output, input, x, input, false, w, input, true, y, output, 0f,
            new GemmEpilogue { Kind = GemmEpilogueKind.BiasResidual, Bias = bias, Residual = residual, ResidualLd = output, RowScale = rowScale, RowsPerScale = rowsPerScale });

    /// <summary>y = gelu(x), exact (erf).</summary>
    public static void Gelu(Ptr x, Ptr y, long count) => Activation.Gelu(x, y, count);

    /// <summary>y = x + s[row / rowsPerScale] · branch (unfused form of the residual add with drop path).</summary>
    public static void ResidualAdd(Ptr x, Ptr branch, Ptr rowScale, int rowsPerScale, Ptr y, int rows, int dim)
    {
        for (int r = 0; r < rows; r++)
        {
            float s = rowScale.IsNull ? 1f : ((float*)rowScale)[r / rowsPerScale];
            float* xr = x + (long)r * dim, br = branch + (long)r * dim, yr = y + (long)r * dim;
            for (int j = 0; j < dim; j++) yr[j] = xr[j] + s * br[j];
        }
    }

    /// <summary>LayerNorm over the last dimension, saving mean and 1/std.</summary>
    public static void LayerNorm(Ptr x, Ptr gamma, Ptr beta, Ptr y, Ptr mean, Ptr rstd, int rows, int dim, float eps) =>
        Cpu.LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, dim, eps);

    /// <summary>softmax(QKᵀ/√d)·V over all heads, saving the probabilities.</summary>
    public static void Attention(Ptr qkv, Ptr output, Ptr probs, int units, int tokens, int heads, int headDim) =>
        Cpu.Attention.Forward(qkv, output, probs, units, tokens, heads, headDim);

    /// <summary>Bicubic resize of the patch position grid to a crop's grid.</summary>
    public static void ResizePositions(BicubicResizePlan plan, Ptr source, Ptr destination, int dim) => plan.Forward(source, destination, dim);

    /// <summary>Prepends the class token and adds the position embedding.</summary>
    public static void AssembleTokens(Ptr patchTokens, Ptr cls, Ptr posCls, Ptr posPatches, Ptr tokens, int units, int patches, int dim) =>
        Patch.AssembleTokens(patchTokens, cls, posCls, posPatches, tokens, units, patches, dim);

    /// <summary>Copies each image's CLS row.</summary>
    public static void GatherClass(Ptr tokens, Ptr cls, int units, int tokensPerImage, int dim) => Rows.GatherClass(tokens, cls, units, tokensPerImage, dim);

    /// <summary>y = x / max(‖x‖, 1e-12) per row.</summary>
    public static void L2Normalize(Ptr x, Ptr y, Ptr norms, int rows, int dim) => Normalize.L2Forward(x, y, norms, rows, dim);

    /// <summary>W = g · v / ‖v‖ per row.</summary>
    public static void WeightNorm(Ptr g, Ptr v, Ptr w, Ptr vNorms, int rows, int cols) => Cpu.WeightNorm.Forward(g, v, w, vNorms, rows, cols);

    /// <summary>y = x·Wᵀ with a computed weight (the head's last layer).</summary>
    public static void MatMul(Ptr x, Ptr w, Ptr y, int rows, int input, int output) =>
        Gemm.Compute(rows, output, input, x, input, false, w, input, true, y, output, 0f, default);

    /// <summary>dx (+)= dy·W.</summary>
    public static void LinearInputGrad(Ptr dy, Ptr w, Ptr dx, int rows, int input, int output, bool accumulate) =>
        Gemm.Compute(rows, input, output, dy, output, false, w, input, false, dx, input, accumulate ? 1f : 0f, default);

    /// <summary>dx = (dy·W) ⊙ gelu'(pre): a Linear's input gradient through the GELU before it.</summary>
    public static void LinearInputGradGelu(Ptr dy, Ptr w, Ptr pre, Ptr dx, int rows, int input, int output) =>
        Gemm.Compute(rows, input, output, dy, output, false, w, input, false, dx, input, 0f,
            new GemmEpilogue { Kind = GemmEpilogueKind.GeluBackward, PreActivation = pre, PreActivationLd = input });

    /// <summary>dW += dyᵀ·x.</summary>
    public static void LinearWeightGrad(Ptr dy, Ptr x, Ptr dw, int rows, int input, int output) =>
        Gemm.Compute(output, input, rows, dy, output, true, x, input, false, dw, input, 1f, default);

    /// <summary>db += column sums of dy.</summary>
    public static void BiasGrad(Ptr dy, Ptr db, int rows, int output) => Reduce.ColumnSums(dy, rows, output, output, db, accumulate: true);

    /// <summary>dx = dy ⊙ gelu'(pre).</summary>
    public static void GeluGrad(Ptr dy, Ptr pre, Ptr dx, long count) => Activation.GeluBackward(dy, pre, dx, count);

    /// <summary>y = s[row / rowsPerScale] · x, or a copy without drop path.</summary>
    public static void ScaleRows(Ptr x, Ptr rowScale, int rowsPerScale, Ptr y, int rows, int dim)
    {
        if (rowScale.IsNull) Buffer.MemoryCopy(x, y, (long)rows * dim * sizeof(float), (long)rows * dim * sizeof(float));
        else Rows.ScaleRows(x, rowScale, rowsPerScale, y, rows, dim);
    }

    /// <summary>destination += source.</summary>
    public static void Accumulate(Ptr source, Ptr destination, long count)
    {
        float* s = source, d = destination;
        for (long i = 0; i < count; i++) d[i] += s[i];
    }

    /// <summary>LayerNorm backward: dx (+)=, dγ +=, dβ +=.</summary>
    public static void LayerNormGrad(Ptr dy, Ptr x, Ptr gamma, Ptr mean, Ptr rstd, Ptr dx, Ptr dgamma, Ptr dbeta, int rows, int dim, bool accumulate) =>
        Cpu.LayerNorm.Backward(dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, dim, accumulate);

    /// <summary>Attention backward: writes dQKV.</summary>
    public static void AttentionGrad(Ptr dOutput, Ptr qkv, Ptr probs, Ptr dQkv, int units, int tokens, int heads, int headDim) =>
        Cpu.Attention.Backward(dOutput, qkv, probs, dQkv, units, tokens, heads, headDim);

    /// <summary>Adjoint of the bicubic resize: dSource +=.</summary>
    public static void ResizePositionsGrad(BicubicResizePlan plan, Ptr dDestination, Ptr dSource, int dim) => plan.Backward(dDestination, dSource, dim);

    /// <summary>Splits the token gradient: patch tokens (written), class token and position embedding (accumulated).</summary>
    public static void AssembleTokensGrad(Ptr dTokens, Ptr dPatchTokens, Ptr dCls, Ptr dPosCls, Ptr dPosPatches, int units, int patches, int dim) =>
        Patch.AssembleTokensBackward(dTokens, dPatchTokens, dCls, dPosCls, dPosPatches, units, patches, dim);

    /// <summary>Token gradient from the CLS gradient: the CLS row of each image, zero elsewhere.</summary>
    public static void ScatterClass(Ptr dCls, Ptr dTokens, int units, int tokensPerImage, int dim) => Rows.ScatterClass(dCls, dTokens, units, tokensPerImage, dim);

    /// <summary>Backward of the L2-normalization: writes dx.</summary>
    public static void L2NormalizeGrad(Ptr dy, Ptr x, Ptr norms, Ptr dx, int rows, int dim) => Normalize.L2Backward(dy, x, norms, dx, rows, dim);

    /// <summary>dv += ∂/∂v, and dg += ∂/∂g when <paramref name="dg"/> is not null (weight_g trained).</summary>
    public static void WeightNormGrad(Ptr dw, Ptr g, Ptr v, Ptr vNorms, Ptr dg, Ptr dv, int rows, int cols) =>
        Cpu.WeightNorm.Backward(dw, g, v, vNorms, dg, dv, rows, cols, gradG: !dg.IsNull);

    /// <summary>dx (+)= dy·W for a computed weight.</summary>
    public static void MatMulInputGrad(Ptr dy, Ptr w, Ptr dx, int rows, int input, int output, bool accumulate) =>
        LinearInputGrad(dy, w, dx, rows, input, output, accumulate);

    /// <summary>dW (+)= dyᵀ·x for a computed weight.</summary>
    public static void MatMulWeightGrad(Ptr dy, Ptr x, Ptr dw, int rows, int input, int output, bool accumulate) =>
        Gemm.Compute(output, input, rows, dy, output, true, x, input, false, dw, input, accumulate ? 1f : 0f, default);

    /// <summary>Zeroes count floats.</summary>
    public static void Clear(Ptr x, long count) => new System.Span<float>((float*)x, checked((int)count)).Clear();
}
