// The DINO head's last layer, torch weight_norm with dim = 0 and no epsilon:
// w[i, :] = g[i] v[i, :] / ||v[i, :]||. The row norms are saved for the backward.
using System;

namespace DinoCompiled.Cpu;

/// <summary>Weight normalisation over rows.</summary>
public static unsafe class WeightNorm
{
    private const int ChunkRows = 64;

    private struct Job
    {
        public float* G, V, W, Norms, Dw, Dg, Dv;
        public int Rows, Cols;
        public bool GradG;
    }

    /// <summary>w[i, :] = g[i] v[i, :] / ||v[i, :]||; vNorms[i] = ||v[i, :]||.</summary>
    public static void Forward(float* g, float* v, float* w, float* vNorms, int rows, int cols)
    {
        Check(rows, cols);
        var job = new Job { G = g, V = v, W = w, Norms = vNorms, Rows = rows, Cols = cols };
        CpuParallel.For((rows + ChunkRows - 1) / ChunkRows, &ForwardChunk, &job);
    }

    /// <summary>dv += dL/dv; dg += dL/dg when <paramref name="gradG"/> (g frozen otherwise).</summary>
    public static void Backward(float* dw, float* g, float* v, float* vNorms, float* dg, float* dv, int rows, int cols, bool gradG)
    {
        Check(rows, cols);
        var job = new Job { Dw = dw, G = g, V = v, Norms = vNorms, Dg = dg, Dv = dv, Rows = rows, Cols = cols, GradG = gradG };
        CpuParallel.For((rows + ChunkRows - 1) / ChunkRows, &BackwardChunk, &job);
    }

    /// <summary>Span form of <see cref="Forward(float*, float*, float*, float*, int, int)"/>.</summary>
    public static void Forward(ReadOnlySpan<float> g, ReadOnlySpan<float> v, Span<float> w, Span<float> vNorms, int rows, int cols)
    {
        Check(rows, cols);
        SpanChecks.Length(g.Length, rows, nameof(g));
        SpanChecks.Length(v.Length, (long)rows * cols, nameof(v));
        SpanChecks.Length(w.Length, (long)rows * cols, nameof(w));
        SpanChecks.Length(vNorms.Length, rows, nameof(vNorms));
        fixed (float* pg = g)
        fixed (float* pv = v)
        fixed (float* pw = w)
        fixed (float* pn = vNorms)
        {
            Forward(pg, pv, pw, pn, rows, cols);
        }
    }

    /// <summary>Span form of <see cref="Backward(float*, float*, float*, float*, float*, float*, int, int, bool)"/>.</summary>
    public static void Backward(ReadOnlySpan<float> dw, ReadOnlySpan<float> g, ReadOnlySpan<float> v, ReadOnlySpan<float> vNorms,
        Span<float> dg, Span<float> dv, int rows, int cols, bool gradG)
    {
        Check(rows, cols);
        SpanChecks.Length(dw.Length, (long)rows * cols, nameof(dw));
        SpanChecks.Length(g.Length, rows, nameof(g));
        SpanChecks.Length(v.Length, (long)rows * cols, nameof(v));
        SpanChecks.Length(vNorms.Length, rows, nameof(vNorms));
        if (gradG) SpanChecks.Length(dg.Length, rows, nameof(dg));
        SpanChecks.Length(dv.Length, (long)rows * cols, nameof(dv));
        fixed (float* pdw = dw)
        fixed (float* pg = g)
        fixed (float* pv = v)
        fixed (float* pn = vNorms)
        fixed (float* pdg = dg)
        fixed (float* pdv = dv)
        {
            Backward(pdw, pg, pv, pn, pdg, pdv, rows, cols, gradG);
        }
    }

    private static void Check(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
    }

    private static void ForwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int cols = job->Cols;
        int last = Math.Min((chunk + 1) * ChunkRows, job->Rows);
        for (int i = chunk * ChunkRows; i < last; i++)
        {
            float* v = job->V + (long)i * cols;
            double norm = Math.Sqrt(RowMath.Dot(v, v, cols));
            job->Norms[i] = (float)norm;
            RowMath.Scale(v, (float)(job->G[i] / norm), job->W + (long)i * cols, cols);
        }
    }

    private static void BackwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int cols = job->Cols;
        int last = Math.Min((chunk + 1) * ChunkRows, job->Rows);
        for (int i = chunk * ChunkRows; i < last; i++)
        {
            float* v = job->V + (long)i * cols;
            float* dw = job->Dw + (long)i * cols;
            float* dv = job->Dv + (long)i * cols;
            double norm = job->Norms[i];
            double g = job->G[i];
            double dot = RowMath.Dot(dw, v, cols);
            if (job->GradG) job->Dg[i] = (float)(job->Dg[i] + dot / norm);
            // dv = (g / n) dw - (g (dw . v) / n^3) v, added to dv.
            float a = (float)(g / norm), b = (float)(-g * dot / (norm * norm * norm));
            RowMath.AddCombination(dw, a, v, b, dv, cols);
        }
    }
}
