using System;

namespace DinoCompiled.Cpu;

/// <summary>Row movements of the backbone's ends: taking the CLS rows, scattering their gradient, and drop-path row scales.</summary>
public static unsafe class Rows
{
    /// <summary>cls[b] = tokens[b, 0].</summary>
    public static void GatherClass(float* tokens, float* cls, int batch, int tokensPerImage, int dim)
    {
        for (int b = 0; b < batch; b++)
            Buffer.MemoryCopy(tokens + (long)b * tokensPerImage * dim, cls + (long)b * dim, dim * sizeof(float), dim * sizeof(float));
    }

    /// <summary>dTokens[b, 0] = dCls[b]; every other row 0.</summary>
    public static void ScatterClass(float* dCls, float* dTokens, int batch, int tokensPerImage, int dim)
    {
        var body = new ScatterBody { DCls = dCls, DTokens = dTokens, TokensPerImage = tokensPerImage, Dim = dim };
        CpuParallel.For(batch, ref body);
    }

    /// <summary>y[r] = x[r] · rowScale[r / rowsPerScale].</summary>
    public static void ScaleRows(float* x, float* rowScale, int rowsPerScale, float* y, int rows, int dim)
    {
        var body = new ScaleBody { X = x, RowScale = rowScale, RowsPerScale = rowsPerScale, Y = y, Dim = dim };
        CpuParallel.For((rows + rowsPerScale - 1) / rowsPerScale, ref body);
    }

    private struct ScatterBody : IParallelBody
    {
        public float* DCls, DTokens;
        public int TokensPerImage, Dim;

        public void Invoke(int b)
        {
            float* image = DTokens + (long)b * TokensPerImage * Dim;
            new Span<float>(image, TokensPerImage * Dim).Clear();
            Buffer.MemoryCopy(DCls + (long)b * Dim, image, Dim * sizeof(float), Dim * sizeof(float));
        }
    }

    private struct ScaleBody : IParallelBody
    {
        public float* X, RowScale, Y;
        public int RowsPerScale, Dim;

        public void Invoke(int group)
        {
            float s = RowScale[group];
            long start = (long)group * RowsPerScale * Dim, count = (long)RowsPerScale * Dim;
            for (long i = 0; i < count; i++) Y[start + i] = X[start + i] * s;
        }
    }
}
