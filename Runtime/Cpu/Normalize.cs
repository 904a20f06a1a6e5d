using System;

namespace DinoCompiled.Cpu;

/// <summary>Row-wise L2 normalization as <c>F.normalize(x, dim=-1)</c>: y = x / max(‖x‖, 1e-12).</summary>
public static unsafe class Normalize
{
    private const float Epsilon = 1e-12f;

    /// <summary>y = x / max(‖x‖, ε) per row; norms = max(‖x‖, ε).</summary>
    public static void L2Forward(float* x, float* y, float* norms, int rows, int dim)
    {
        var body = new ForwardBody { X = x, Y = y, Norms = norms, Dim = dim };
        CpuParallel.For(rows, ref body);
    }

    /// <summary>dx = (dy − y·(dy·y)) / n where the norm exceeded ε, dy / ε otherwise (written).</summary>
    public static void L2Backward(float* dy, float* x, float* norms, float* dx, int rows, int dim)
    {
        var body = new BackwardBody { Dy = dy, X = x, Norms = norms, Dx = dx, Dim = dim };
        CpuParallel.For(rows, ref body);
    }

    private struct ForwardBody : IParallelBody
    {
        public float* X, Y, Norms;
        public int Dim;

        public void Invoke(int r)
        {
            float* x = X + (long)r * Dim, y = Y + (long)r * Dim;
            double sum = 0;
            for (int j = 0; j < Dim; j++) sum += (double)x[j] * x[j];
            float n = MathF.Max((float)Math.Sqrt(sum), Epsilon);
            Norms[r] = n;
            float inverse = 1f / n;
            for (int j = 0; j < Dim; j++) y[j] = x[j] * inverse;
        }
    }

    private struct BackwardBody : IParallelBody
    {
        public float* Dy, X, Norms, Dx;
        public int Dim;

        public void Invoke(int r)
        {
            float* dy = Dy + (long)r * Dim, x = X + (long)r * Dim, dx = Dx + (long)r * Dim;
            float n = Norms[r];
            if (n <= Epsilon)
            {
                for (int j = 0; j < Dim; j++) dx[j] = dy[j] / Epsilon;
                return;
            }
            double dot = 0;
            for (int j = 0; j < Dim; j++) dot += (double)dy[j] * x[j];
            float projection = (float)(dot / ((double)n * n));
            float inverse = 1f / n;
            for (int j = 0; j < Dim; j++) dx[j] = (dy[j] - x[j] * projection) * inverse;
        }
    }
}
