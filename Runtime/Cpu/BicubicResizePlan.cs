using System;

namespace DinoCompiled.Cpu;

/// <summary>
/// The position embedding's resize, exactly as PyTorch's <c>upsample_bicubic2d</c> with <c>align_corners=False</c>
/// and a given scale factor s (the reference DINO passes s = (g + 0.1)/G): source = (dst + 0.5)/s − 0.5, cubic
/// convolution with A = −0.75, taps clamped to the edge. Separable; indices and weights are computed once.
/// Grids are channels-last: [side·side, dim].
/// </summary>
public sealed unsafe class BicubicResizePlan
{
    private const double A = -0.75;
    private readonly int[] _taps;
    private readonly float[] _weights;

    /// <summary>Plans the resize of an <paramref name="inSize"/>² grid to <paramref name="outSize"/>² with scale factor <paramref name="scale"/>.</summary>
    public BicubicResizePlan(int inSize, int outSize, double scale)
    {
        if (inSize < 1 || outSize < 1 || !(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), $"Cannot resize {inSize} to {outSize} with scale {scale}.");
        InSize = inSize;
        OutSize = outSize;
        _taps = new int[outSize * 4];
        _weights = new float[outSize * 4];
        for (int o = 0; o < outSize; o++)
        {
            double real = (o + 0.5) / scale - 0.5;
            int i0 = (int)Math.Floor(real);
            double t = real - i0;
            double[] w = { Cubic2(t + 1), Cubic1(t), Cubic1(1 - t), Cubic2(2 - t) };
            for (int k = 0; k < 4; k++)
            {
                _taps[o * 4 + k] = Math.Clamp(i0 - 1 + k, 0, inSize - 1);
                _weights[o * 4 + k] = (float)w[k];
            }
        }
    }

    /// <summary>Side of the source grid.</summary>
    public int InSize { get; }

    /// <summary>Side of the resized grid.</summary>
    public int OutSize { get; }

    /// <summary>dst[oy·g + ox] = Σ wy·wx·src[iy·G + ix].</summary>
    public void Forward(float* src, float* dst, int dim)
    {
        for (int oy = 0; oy < OutSize; oy++)
            for (int ox = 0; ox < OutSize; ox++)
            {
                float* d = dst + ((long)oy * OutSize + ox) * dim;
                for (int c = 0; c < dim; c++) d[c] = 0;
                for (int ky = 0; ky < 4; ky++)
                    for (int kx = 0; kx < 4; kx++)
                    {
                        float w = _weights[oy * 4 + ky] * _weights[ox * 4 + kx];
                        float* s = src + ((long)_taps[oy * 4 + ky] * InSize + _taps[ox * 4 + kx]) * dim;
                        for (int c = 0; c < dim; c++) d[c] += w * s[c];
                    }
            }
    }

    /// <summary>dSrc += Fᵀ dDst (the exact adjoint of <see cref="Forward"/>).</summary>
    public void Backward(float* dDst, float* dSrc, int dim)
    {
        for (int oy = 0; oy < OutSize; oy++)
            for (int ox = 0; ox < OutSize; ox++)
            {
                float* d = dDst + ((long)oy * OutSize + ox) * dim;
                for (int ky = 0; ky < 4; ky++)
                    for (int kx = 0; kx < 4; kx++)
                    {
                        float w = _weights[oy * 4 + ky] * _weights[ox * 4 + kx];
                        float* s = dSrc + ((long)_taps[oy * 4 + ky] * InSize + _taps[ox * 4 + kx]) * dim;
                        for (int c = 0; c < dim; c++) s[c] += w * d[c];
                    }
            }
    }

    private static double Cubic1(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;

    private static double Cubic2(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}
