using System;
using System.Numerics;

namespace DinoCompiled.Cpu;

/// <summary>
/// LayerNorm over the last dimension (biased variance, as PyTorch). The backward writes or accumulates dx per row in
/// parallel, then sums dγ and dβ per column block over all rows in order, so the result does not depend on threads.
/// </summary>
public static unsafe class LayerNorm
{
    private const int RowsPerItem = 16;
    private const int ColumnBlock = 64;

    /// <summary>y = (x − mean)·rstd·γ + β per row; saves mean and rstd.</summary>
    public static void Forward(float* x, float* gamma, float* beta, float* y, float* mean, float* rstd, int rows, int dim, float eps)
    {
        var body = new ForwardBody { X = x, Gamma = gamma, Beta = beta, Y = y, Mean = mean, Rstd = rstd, Rows = rows, Dim = dim, Eps = eps };
        CpuParallel.For((rows + RowsPerItem - 1) / RowsPerItem, ref body);
    }

    /// <summary>dx (+)= ∂/∂x; dγ += Σ dy·x̂; dβ += Σ dy.</summary>
    public static void Backward(float* dy, float* x, float* gamma, float* mean, float* rstd, float* dx, float* dgamma, float* dbeta, int rows, int dim, bool accumulateDx)
    {
        var rowsBody = new BackwardRowsBody { Dy = dy, X = x, Gamma = gamma, Mean = mean, Rstd = rstd, Dx = dx, Rows = rows, Dim = dim, Accumulate = accumulateDx };
        CpuParallel.For((rows + RowsPerItem - 1) / RowsPerItem, ref rowsBody);
        var columnsBody = new BackwardColumnsBody { Dy = dy, X = x, Mean = mean, Rstd = rstd, DGamma = dgamma, DBeta = dbeta, Rows = rows, Dim = dim };
        CpuParallel.For((dim + ColumnBlock - 1) / ColumnBlock, ref columnsBody);
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, Gamma, Beta, Y, Mean, Rstd;
        public int Rows, Dim;
        public float Eps;

        public void Invoke(int item)
        {
            int end = Math.Min(Rows, (item + 1) * RowsPerItem);
            for (int r = item * RowsPerItem; r < end; r++)
            {
                float* xr = X + (long)r * Dim, yr = Y + (long)r * Dim;
                float m = Sum(xr, Dim) / Dim;
                float variance = SumSquaredDeviation(xr, Dim, m) / Dim;
                float s = 1f / MathF.Sqrt(variance + Eps);
                Mean[r] = m;
                Rstd[r] = s;
                int j = 0;
                var vm = new Vector<float>(m);
                var vs = new Vector<float>(s);
                for (; j + Vector<float>.Count <= Dim; j += Vector<float>.Count)
                    *(Vector<float>*)(yr + j) = (*(Vector<float>*)(xr + j) - vm) * vs * *(Vector<float>*)(Gamma + j) + *(Vector<float>*)(Beta + j);
                for (; j < Dim; j++) yr[j] = (xr[j] - m) * s * Gamma[j] + Beta[j];
            }
        }
    }

    private struct BackwardRowsBody : IParallelBody
    {
        public float* Dy, X, Gamma, Mean, Rstd, Dx;
        public int Rows, Dim;
        public bool Accumulate;

        public void Invoke(int item)
        {
            int end = Math.Min(Rows, (item + 1) * RowsPerItem);
            for (int r = item * RowsPerItem; r < end; r++)
            {
                float* dyr = Dy + (long)r * Dim, xr = X + (long)r * Dim, dxr = Dx + (long)r * Dim;
                float m = Mean[r], s = Rstd[r];
                // dx = s · (g − mean(g) − x̂ · mean(g · x̂)), g = dy · γ
                var vm = new Vector<float>(m);
                var vs = new Vector<float>(s);
                Vector<float> accG = Vector<float>.Zero, accGX = Vector<float>.Zero;
                int j = 0;
                for (; j + Vector<float>.Count <= Dim; j += Vector<float>.Count)
                {
                    var g = *(Vector<float>*)(dyr + j) * *(Vector<float>*)(Gamma + j);
                    accG += g;
                    accGX += g * (*(Vector<float>*)(xr + j) - vm) * vs;
                }
                float sumG = Vector.Sum(accG), sumGX = Vector.Sum(accGX);
                for (int k = j; k < Dim; k++)
                {
                    float g = dyr[k] * Gamma[k];
                    sumG += g;
                    sumGX += g * (xr[k] - m) * s;
                }
                float meanG = sumG / Dim, meanGX = sumGX / Dim;
                var vMeanG = new Vector<float>(meanG);
                var vMeanGX = new Vector<float>(meanGX);
                for (j = 0; j + Vector<float>.Count <= Dim; j += Vector<float>.Count)
                {
                    var value = vs * (*(Vector<float>*)(dyr + j) * *(Vector<float>*)(Gamma + j) - vMeanG - (*(Vector<float>*)(xr + j) - vm) * vs * vMeanGX);
                    *(Vector<float>*)(dxr + j) = Accumulate ? *(Vector<float>*)(dxr + j) + value : value;
                }
                for (; j < Dim; j++)
                {
                    float value = s * (dyr[j] * Gamma[j] - meanG - (xr[j] - m) * s * meanGX);
                    dxr[j] = Accumulate ? dxr[j] + value : value;
                }
            }
        }
    }

    private struct BackwardColumnsBody : IParallelBody
    {
        public float* Dy, X, Mean, Rstd, DGamma, DBeta;
        public int Rows, Dim;

        public void Invoke(int block)
        {
            int start = block * ColumnBlock, count = Math.Min(ColumnBlock, Dim - start);
            float* g = stackalloc float[ColumnBlock];
            float* b = stackalloc float[ColumnBlock];
            int vectors = count / Vector<float>.Count * Vector<float>.Count;
            for (int c = 0; c < vectors; c += Vector<float>.Count)
            {
                // One vector of columns at a time: its two sums stay in registers over all rows.
                Vector<float> accG = Vector<float>.Zero, accB = Vector<float>.Zero;
                for (int r = 0; r < Rows; r++)
                {
                    var dy = *(Vector<float>*)(Dy + (long)r * Dim + start + c);
                    var x = *(Vector<float>*)(X + (long)r * Dim + start + c);
                    accG += dy * (x - new Vector<float>(Mean[r])) * new Vector<float>(Rstd[r]);
                    accB += dy;
                }
                *(Vector<float>*)(g + c) = accG;
                *(Vector<float>*)(b + c) = accB;
            }
            for (int c = vectors; c < count; c++)
            {
                float accG = 0, accB = 0;
                for (int r = 0; r < Rows; r++)
                {
                    float dy = Dy[(long)r * Dim + start + c];
                    accG += dy * (X[(long)r * Dim + start + c] - Mean[r]) * Rstd[r];
                    accB += dy;
                }
                g[c] = accG;
                b[c] = accB;
            }
            for (int j = 0; j < count; j++)
            {
                DGamma[start + j] += g[j];
                DBeta[start + j] += b[j];
            }
        }
    }

    private static float Sum(float* x, int n)
    {
        var acc = Vector<float>.Zero;
        int j = 0;
        for (; j + Vector<float>.Count <= n; j += Vector<float>.Count) acc += *(Vector<float>*)(x + j);
        float sum = Vector.Sum(acc);
        for (; j < n; j++) sum += x[j];
        return sum;
    }

    private static float SumSquaredDeviation(float* x, int n, float mean)
    {
        var acc = Vector<float>.Zero;
        var vm = new Vector<float>(mean);
        int j = 0;
        for (; j + Vector<float>.Count <= n; j += Vector<float>.Count)
        {
            var d = *(Vector<float>*)(x + j) - vm;
            acc += d * d;
        }
        float sum = Vector.Sum(acc);
        for (; j < n; j++) sum += (x[j] - mean) * (x[j] - mean);
        return sum;
    }
}
