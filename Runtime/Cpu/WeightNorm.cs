using System;

namespace DinoCompiled.Cpu;

/// <summary>
/// PyTorch's <c>weight_norm</c> with dim 0: W[i] = g[i] · v[i] / ‖v[i]‖ per output row, and its backward
/// ∂/∂v[i] = (g[i]/‖v[i]‖)(dW[i] − v̂[i](dW[i]·v̂[i])), ∂/∂g[i] = dW[i]·v̂[i].
/// </summary>
public static unsafe class WeightNorm
{
    private const int RowsPerItem = 64;

    /// <summary>w = g·v/‖v‖ per row; vNorms = ‖v‖.</summary>
    public static void Forward(float* g, float* v, float* w, float* vNorms, int rows, int cols)
    {
        var body = new ForwardBody { G = g, V = v, W = w, VNorms = vNorms, Rows = rows, Cols = cols };
        CpuParallel.For((rows + RowsPerItem - 1) / RowsPerItem, ref body);
    }

    /// <summary>dv += ∂/∂v; dg += ∂/∂g when <paramref name="gradG"/>.</summary>
    public static void Backward(float* dw, float* g, float* v, float* vNorms, float* dg, float* dv, int rows, int cols, bool gradG)
    {
        var body = new BackwardBody { DW = dw, G = g, V = v, VNorms = vNorms, DG = dg, DV = dv, Rows = rows, Cols = cols, GradG = gradG };
        CpuParallel.For((rows + RowsPerItem - 1) / RowsPerItem, ref body);
    }

    private struct ForwardBody : IParallelBody
    {
        public float* G, V, W, VNorms;
        public int Rows, Cols;

        public void Invoke(int item)
        {
            int end = Math.Min(Rows, (item + 1) * RowsPerItem);
            for (int i = item * RowsPerItem; i < end; i++)
            {
                float* v = V + (long)i * Cols, w = W + (long)i * Cols;
                double sum = 0;
                for (int j = 0; j < Cols; j++) sum += (double)v[j] * v[j];
                float norm = (float)Math.Sqrt(sum);
                VNorms[i] = norm;
                float factor = G[i] / norm;
                for (int j = 0; j < Cols; j++) w[j] = v[j] * factor;
            }
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* DW, G, V, VNorms, DG, DV;
        public int Rows, Cols;
        public bool GradG;

        public void Invoke(int item)
        {
            int end = Math.Min(Rows, (item + 1) * RowsPerItem);
            for (int i = item * RowsPerItem; i < end; i++)
            {
                float* dw = DW + (long)i * Cols, v = V + (long)i * Cols, dv = DV + (long)i * Cols;
                float norm = VNorms[i];
                double dot = 0;
                for (int j = 0; j < Cols; j++) dot += (double)dw[j] * v[j];
                float along = (float)(dot / norm);               // dW·v̂
                float factor = G[i] / norm;
                float projection = along / norm;                 // (dW·v̂)/‖v‖, times v gives v̂(dW·v̂)
                for (int j = 0; j < Cols; j++) dv[j] += factor * (dw[j] - v[j] * projection);
                if (GradG) DG[i] += along;
            }
        }
    }
}
