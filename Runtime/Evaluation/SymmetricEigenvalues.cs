using System;

namespace DinoCompiled.Evaluation;

/// <summary>
/// Every eigenvalue of a real symmetric matrix, by the cyclic Jacobi method in double: rotations zero each
/// off-diagonal element in turn until the off-diagonal mass is negligible against the diagonal. Slow for large
/// matrices (O(n³) per sweep) but exact to rounding and simple; the matrices here are Gram matrices of the embedding
/// dimension (128 to 768), which take well under a second.
/// </summary>
public static class SymmetricEigenvalues
{
    private const int MaxSweeps = 60;

    /// <summary>The eigenvalues of the n×n symmetric <paramref name="matrix"/> (row-major; overwritten), in descending order.</summary>
    /// <exception cref="ArgumentException">The matrix is not n×n.</exception>
    public static double[] Compute(double[] matrix, int n)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (n < 1 || matrix.Length != (long)n * n) throw new ArgumentException($"The matrix holds {matrix.Length} values, not {n}×{n}.", nameof(matrix));
        double scale = 0;
        for (int i = 0; i < matrix.Length; i++) scale += matrix[i] * matrix[i];
        double tolerance = 1e-30 * scale;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += matrix[p * n + q] * matrix[p * n + q];
            if (off <= tolerance) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                    Rotate(matrix, n, p, q);
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = matrix[i * n + i];
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }

    // One Jacobi rotation in the (p, q) plane that zeroes A[p, q] (Golub & Van Loan, Algorithm 8.5.1's sym.schur2).
    private static void Rotate(double[] a, int n, int p, int q)
    {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = Math.Sign(tau == 0 ? 1 : tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++)
        {
            // Columns p and q, then rows p and q: A <- Jᵀ A J.
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
    }
}
