using System;
using System.Threading.Tasks;

namespace DinoCompiled.Evaluation;

/// <summary>
/// RankMe (Garrido et al. 2023, "RankMe: Assessing the downstream performance of pretrained self-supervised
/// representations by their rank"): the effective rank of an embedding matrix, exp of the entropy of its normalized
/// singular values, p_k = σ_k / Σσ + ε with ε = 1e-7. It needs no labels: a collapsed representation has a rank
/// near 1, a healthy one a rank that grows with training towards the embedding dimension, and the paper finds it
/// tracks downstream accuracy within a method. Computed in double from the Gram matrix (σ_k² are its eigenvalues).
/// </summary>
public static class RankMe
{
    /// <summary>The paper's ε, added to each normalized singular value.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>The effective rank of the <paramref name="count"/> × <paramref name="dim"/> row-major <paramref name="embeddings"/>, between 1 and min(count, dim).</summary>
    /// <exception cref="ArgumentException">The span does not hold count × dim values, or there are none.</exception>
    public static double Compute(ReadOnlySpan<float> embeddings, int count, int dim)
    {
        if (count < 1 || dim < 1 || embeddings.Length != (long)count * dim)
            throw new ArgumentException($"The embeddings hold {embeddings.Length} values, not {count}×{dim}.", nameof(embeddings));
        var singular = SingularValues(embeddings, count, dim);
        double sum = 0;
        foreach (double s in singular) sum += s;
        if (sum == 0) return 1;
        double entropy = 0;
        foreach (double s in singular)
        {
            double p = s / sum + Epsilon;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    /// <summary>The singular values of the matrix, descending: square roots of the Gram matrix's eigenvalues.</summary>
    public static double[] SingularValues(ReadOnlySpan<float> embeddings, int count, int dim)
    {
        // The smaller Gram matrix: Xᵀ X (dim × dim) or X Xᵀ (count × count) share their nonzero eigenvalues.
        bool byColumns = dim <= count;
        int n = byColumns ? dim : count;
        var x = embeddings.ToArray();
        var gram = new double[(long)n * n];
        Parallel.For(0, n, i =>
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                if (byColumns)
                    for (int r = 0; r < count; r++) sum += (double)x[r * dim + i] * x[r * dim + j];
                else
                    for (int c = 0; c < dim; c++) sum += (double)x[i * dim + c] * x[j * dim + c];
                gram[i * n + j] = sum;
                gram[j * n + i] = sum;
            }
        });
        var eigenvalues = SymmetricEigenvalues.Compute(gram, n);
        for (int i = 0; i < n; i++) eigenvalues[i] = Math.Sqrt(Math.Max(0, eigenvalues[i]));
        return eigenvalues;
    }
}
