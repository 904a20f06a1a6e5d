using System;

namespace DinoCompiled.Visualization;

/// <summary>
/// The leading principal components of a set of rows (features), in double: the mean, then orthogonal (subspace)
/// iteration on the covariance until the subspace stops moving, then a Rayleigh-Ritz step so the components come out
/// in order of variance. Deterministic: the start vectors come from a fixed seed.
/// </summary>
public sealed class PrincipalComponents
{
    private const int MaxIterations = 500;
    private const double Tolerance = 1e-10;

    private PrincipalComponents(double[] mean, double[][] components, double[] variances) => (Mean, Components, Variances) = (mean, components, variances);

    /// <summary>The rows' mean [dim].</summary>
    public double[] Mean { get; }

    /// <summary>Unit components [count][dim], largest variance first.</summary>
    public double[][] Components { get; }

    /// <summary>The variance along each component.</summary>
    public double[] Variances { get; }

    /// <summary>Fits <paramref name="count"/> components to the rows of <paramref name="rows"/> [n, dim] selected by <paramref name="use"/> (all when null).</summary>
    public static PrincipalComponents Fit(ReadOnlySpan<float> rows, int dim, int count, bool[]? use = null)
    {
        if (dim < 1 || rows.Length % dim != 0) throw new ArgumentException($"{rows.Length} floats are not rows of {dim}.", nameof(rows));
        int n = rows.Length / dim;
        if (count < 1 || count > dim) throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {dim} components.");
        if (use is not null && use.Length != n) throw new ArgumentException($"The selection has {use.Length} entries for {n} rows.", nameof(use));
        var mean = new double[dim];
        int used = 0;
        for (int r = 0; r < n; r++)
        {
            if (use is not null && !use[r]) continue;
            used++;
            for (int j = 0; j < dim; j++) mean[j] += rows[r * dim + j];
        }
        if (used < 2) throw new ArgumentException($"Principal components need at least 2 rows, not {used}.", nameof(use));
        for (int j = 0; j < dim; j++) mean[j] /= used;

        var covariance = new double[dim * dim];
        var centered = new double[dim];
        for (int r = 0; r < n; r++)
        {
            if (use is not null && !use[r]) continue;
            for (int j = 0; j < dim; j++) centered[j] = rows[r * dim + j] - mean[j];
            for (int i = 0; i < dim; i++)
            {
                double ci = centered[i];
                for (int j = i; j < dim; j++) covariance[i * dim + j] += ci * centered[j];
            }
        }
        for (int i = 0; i < dim; i++)
            for (int j = i; j < dim; j++) covariance[j * dim + i] = covariance[i * dim + j] /= used - 1;

        var basis = new double[count][];
        var random = new Random(12345);
        for (int k = 0; k < count; k++)
        {
            basis[k] = new double[dim];
            for (int j = 0; j < dim; j++) basis[k][j] = random.NextDouble() - 0.5;
        }
        Orthonormalize(basis);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = new double[count][];
            for (int k = 0; k < count; k++) next[k] = Multiply(covariance, basis[k], dim);
            Orthonormalize(next);
            double moved = 0;
            for (int k = 0; k < count; k++)
            {
                // The projection of the old basis on the new: 1 when the subspace has settled.
                double p = 0;
                for (int l = 0; l < count; l++) { double dot = Dot(basis[k], next[l]); p += dot * dot; }
                moved = Math.Max(moved, 1 - p);
            }
            basis = next;
            if (moved < Tolerance) break;
        }
        // Rayleigh-Ritz: the small count x count problem orders and rotates the components within the subspace.
        var projected = new double[count, count];
        var applied = new double[count][];
        for (int k = 0; k < count; k++) applied[k] = Multiply(covariance, basis[k], dim);
        for (int k = 0; k < count; k++)
            for (int l = 0; l < count; l++) projected[k, l] = Dot(basis[k], applied[l]);
        var (values, vectors) = SymmetricEigen(projected, count);
        var components = new double[count][];
        for (int k = 0; k < count; k++)
        {
            components[k] = new double[dim];
            for (int l = 0; l < count; l++)
                for (int j = 0; j < dim; j++) components[k][j] += vectors[l, k] * basis[l][j];
        }
        return new PrincipalComponents(mean, components, values);
    }

    /// <summary>The coordinates [n, count] of every row of <paramref name="rows"/> along the components.</summary>
    public double[] Project(ReadOnlySpan<float> rows)
    {
        int dim = Mean.Length, n = rows.Length / dim, count = Components.Length;
        var result = new double[n * count];
        for (int r = 0; r < n; r++)
            for (int k = 0; k < count; k++)
            {
                double s = 0;
                for (int j = 0; j < dim; j++) s += (rows[r * dim + j] - Mean[j]) * Components[k][j];
                result[r * count + k] = s;
            }
        return result;
    }

    private static double[] Multiply(double[] matrix, double[] v, int dim)
    {
        var y = new double[dim];
        for (int i = 0; i < dim; i++)
        {
            double s = 0;
            for (int j = 0; j < dim; j++) s += matrix[i * dim + j] * v[j];
            y[i] = s;
        }
        return y;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    // Modified Gram-Schmidt; a vector that vanishes (a rank-deficient set) is replaced by a fresh unit axis.
    private static void Orthonormalize(double[][] vectors)
    {
        for (int k = 0; k < vectors.Length; k++)
        {
            for (int l = 0; l < k; l++)
            {
                double dot = Dot(vectors[k], vectors[l]);
                for (int j = 0; j < vectors[k].Length; j++) vectors[k][j] -= dot * vectors[l][j];
            }
            double norm = Math.Sqrt(Dot(vectors[k], vectors[k]));
            if (norm < 1e-300)
            {
                Array.Clear(vectors[k]);
                vectors[k][k % vectors[k].Length] = 1;
                k--;
                continue;
            }
            for (int j = 0; j < vectors[k].Length; j++) vectors[k][j] /= norm;
        }
    }

    // Cyclic Jacobi for the small projected matrix; eigenvalues descending, eigenvectors as columns.
    private static (double[] Values, double[,] Vectors) SymmetricEigen(double[,] a, int n)
    {
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (x, y) => a[y, y].CompareTo(a[x, x]));
        var values = new double[n];
        var vectors = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            values[k] = a[order[k], order[k]];
            for (int i = 0; i < n; i++) vectors[i, k] = v[i, order[k]];
        }
        return (values, vectors);
    }
}
