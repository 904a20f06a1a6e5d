// LayerNorm over the last dimension, as PyTorch: biased variance, y = (x - mean) rstd
// gamma + beta, with mean and rstd saved for the backward.
//
// Backward: dgamma and dbeta sum over all rows. Each fixed chunk of 64 rows writes its
// own float partial sums, and the partials are then added in chunk order in double, so
// the result does not depend on the thread count or schedule.
using System;
using System.Runtime.Intrinsics;

namespace DinoCompiled.Cpu;

/// <summary>Layer normalisation forward and backward.</summary>
public static unsafe class LayerNorm
{
    private const int ChunkRows = 64;

    private struct Job
    {
        public float* X, Gamma, Beta, Y, Mean, Rstd, Dy, Dx, Partials;
        public int Rows, Dim;
        public float Eps;
        public bool AccumulateDx;
    }

    /// <summary>y = (x - mean) rstd gamma + beta per row; mean[r] and rstd[r] = 1/sqrt(var + eps) saved.</summary>
    public static void Forward(float* x, float* gamma, float* beta, float* y, float* mean, float* rstd, int rows, int dim, float eps)
    {
        Check(rows, dim);
        var job = new Job { X = x, Gamma = gamma, Beta = beta, Y = y, Mean = mean, Rstd = rstd, Rows = rows, Dim = dim, Eps = eps };
        CpuParallel.For(ChunkCount(rows), &ForwardChunk, &job);
    }

    /// <summary>dx (+)= dL/dx; dgamma += dL/dgamma; dbeta += dL/dbeta.</summary>
    public static void Backward(float* dy, float* x, float* gamma, float* mean, float* rstd, float* dx, float* dgamma, float* dbeta,
        int rows, int dim, bool accumulateDx)
    {
        Check(rows, dim);
        CpuParallel.ThrowIfInsideBody();
        if (rows == 0 || dim == 0) return;
        lock (CpuParallel.Gate)
        {
            int chunks = ChunkCount(rows);
            float* partials = (float*)CpuScratch.Shared(ScratchSlot.ReductionPartials, (long)chunks * 2 * dim * sizeof(float));
            var job = new Job
            {
                Dy = dy, X = x, Gamma = gamma, Mean = mean, Rstd = rstd, Dx = dx, Partials = partials,
                Rows = rows, Dim = dim, AccumulateDx = accumulateDx,
            };
            CpuParallel.For(chunks, &BackwardChunk, &job);
            // Row c of the partials holds chunk c's dgamma then dbeta sums: one strided column sum each.
            ColumnSummer.Sum(partials, 2L * dim, chunks, dim, dgamma, accumulate: true);
            ColumnSummer.Sum(partials + dim, 2L * dim, chunks, dim, dbeta, accumulate: true);
        }
    }

    /// <summary>Span form of <see cref="Forward(float*, float*, float*, float*, float*, float*, int, int, float)"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> rstd, int rows, int dim, float eps)
    {
        Check(rows, dim);
        CheckSpans(x.Length, gamma.Length, mean.Length, rstd.Length, rows, dim);
        SpanChecks.Length(beta.Length, dim, nameof(beta));
        SpanChecks.Length(y.Length, (long)rows * dim, nameof(y));
        fixed (float* px = x)
        fixed (float* pg = gamma)
        fixed (float* pb = beta)
        fixed (float* py = y)
        fixed (float* pm = mean)
        fixed (float* pr = rstd)
        {
            Forward(px, pg, pb, py, pm, pr, rows, dim, eps);
        }
    }

    /// <summary>Span form of <see cref="Backward(float*, float*, float*, float*, float*, float*, float*, float*, int, int, bool)"/>.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<float> dx, Span<float> dgamma, Span<float> dbeta, int rows, int dim, bool accumulateDx)
    {
        Check(rows, dim);
        CheckSpans(x.Length, gamma.Length, mean.Length, rstd.Length, rows, dim);
        SpanChecks.Length(dy.Length, (long)rows * dim, nameof(dy));
        SpanChecks.Length(dx.Length, (long)rows * dim, nameof(dx));
        SpanChecks.Length(dgamma.Length, dim, nameof(dgamma));
        SpanChecks.Length(dbeta.Length, dim, nameof(dbeta));
        fixed (float* pdy = dy)
        fixed (float* px = x)
        fixed (float* pg = gamma)
        fixed (float* pm = mean)
        fixed (float* pr = rstd)
        fixed (float* pdx = dx)
        fixed (float* pdg = dgamma)
        fixed (float* pdb = dbeta)
        {
            Backward(pdy, px, pg, pm, pr, pdx, pdg, pdb, rows, dim, accumulateDx);
        }
    }

    private static void CheckSpans(int x, int gamma, int mean, int rstd, int rows, int dim)
    {
        SpanChecks.Length(x, (long)rows * dim, nameof(x));
        SpanChecks.Length(gamma, dim, nameof(gamma));
        SpanChecks.Length(mean, rows, nameof(mean));
        SpanChecks.Length(rstd, rows, nameof(rstd));
    }

    private static int ChunkCount(int rows) => (rows + ChunkRows - 1) / ChunkRows;

    private static void Check(int rows, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(dim);
    }

    private static void ForwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim;
        int last = Math.Min((chunk + 1) * ChunkRows, job->Rows);
        for (int r = chunk * ChunkRows; r < last; r++)
        {
            float* x = job->X + (long)r * dim;
            float* y = job->Y + (long)r * dim;
            float mean = (float)(RowMath.Sum(x, dim) / dim);
            // Two passes: the variance from centred values does not cancel.
            float variance = (float)(RowMath.SquaredDeviation(x, mean, dim) / dim);
            float rstd = (float)(1 / Math.Sqrt((double)variance + job->Eps));
            job->Mean[r] = mean;
            job->Rstd[r] = rstd;
            float* gamma = job->Gamma, beta = job->Beta;
            int j = 0;
            for (; j + 8 <= dim; j += 8)
            {
                Vector256<float> xhat = (Vector256.Load(x + j) - Vector256.Create(mean)) * rstd;
                Vector256.FusedMultiplyAdd(xhat, Vector256.Load(gamma + j), Vector256.Load(beta + j)).Store(y + j);
            }

            for (; j < dim; j++) y[j] = float.FusedMultiplyAdd((x[j] - mean) * rstd, gamma[j], beta[j]);
        }
    }

    private static void BackwardChunk(int chunk, void* state)
    {
        var job = (Job*)state;
        int dim = job->Dim;
        float* dgamma = job->Partials + (long)chunk * 2 * dim;
        float* dbeta = dgamma + dim;
        new Span<float>(dgamma, 2 * dim).Clear();
        float* gamma = job->Gamma;
        int last = Math.Min((chunk + 1) * ChunkRows, job->Rows);
        for (int r = chunk * ChunkRows; r < last; r++)
        {
            float* x = job->X + (long)r * dim;
            float* dy = job->Dy + (long)r * dim;
            float* dx = job->Dx + (long)r * dim;
            float mean = job->Mean[r], rstd = job->Rstd[r];

            // g = dy gamma; dx = rstd (g - mean(g) - xhat mean(g xhat)).
            Vector256<float> sumG = default, sumGx = default;
            double tailG = 0, tailGx = 0;
            int j = 0;
            for (; j + 8 <= dim; j += 8)
            {
                Vector256<float> xhat = (Vector256.Load(x + j) - Vector256.Create(mean)) * rstd;
                Vector256<float> dyv = Vector256.Load(dy + j);
                Vector256<float> g = dyv * Vector256.Load(gamma + j);
                sumG += g;
                sumGx = Vector256.FusedMultiplyAdd(g, xhat, sumGx);
                Vector256.FusedMultiplyAdd(dyv, xhat, Vector256.Load(dgamma + j)).Store(dgamma + j);
                (Vector256.Load(dbeta + j) + dyv).Store(dbeta + j);
            }

            for (; j < dim; j++)
            {
                float xhat = (x[j] - mean) * rstd;
                float g = dy[j] * gamma[j];
                tailG += g;
                tailGx += g * xhat;
                dgamma[j] += dy[j] * xhat;
                dbeta[j] += dy[j];
            }

            float meanG = (float)((Vector256.Sum(sumG) + tailG) / dim);
            float meanGx = (float)((Vector256.Sum(sumGx) + tailGx) / dim);
            bool accumulate = job->AccumulateDx;
            j = 0;
            for (; j + 8 <= dim; j += 8)
            {
                Vector256<float> xhat = (Vector256.Load(x + j) - Vector256.Create(mean)) * rstd;
                Vector256<float> g = Vector256.Load(dy + j) * Vector256.Load(gamma + j);
                Vector256<float> d = (g - Vector256.Create(meanG) - xhat * meanGx) * rstd;
                if (accumulate) d += Vector256.Load(dx + j);
                d.Store(dx + j);
            }

            for (; j < dim; j++)
            {
                float xhat = (x[j] - mean) * rstd;
                float d = (dy[j] * gamma[j] - meanG - xhat * meanGx) * rstd;
                dx[j] = accumulate ? dx[j] + d : d;
            }
        }
    }
}
