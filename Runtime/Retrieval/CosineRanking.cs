using System;

namespace DinoCompiled.Retrieval;

/// <summary>Nearest gallery rows to a query by cosine similarity (ties by gallery order), in double.</summary>
public static class CosineRanking
{
    /// <summary>The <paramref name="top"/> (or fewer) best gallery indices and their similarities, best first.</summary>
    public static (int Index, double Similarity)[] Nearest(ReadOnlySpan<float> query, ReadOnlySpan<float> gallery, int dim, int top)
    {
        if (query.Length != dim) throw new ArgumentException($"The query has {query.Length} features, not {dim}.", nameof(query));
        if (gallery.Length % dim != 0) throw new ArgumentException($"{gallery.Length} floats are not rows of {dim}.", nameof(gallery));
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, "Ask for at least one neighbour.");
        int n = gallery.Length / dim;
        double queryNorm = Norm(query);
        var similarities = new double[n];
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = gallery.Slice(i * dim, dim);
            double dot = 0;
            for (int j = 0; j < dim; j++) dot += (double)query[j] * row[j];
            similarities[i] = dot / Math.Max(queryNorm * Norm(row), 1e-12);
            order[i] = i;
        }
        Array.Sort(order, (a, b) => similarities[a] != similarities[b] ? similarities[b].CompareTo(similarities[a]) : a.CompareTo(b));
        var result = new (int, double)[Math.Min(top, n)];
        for (int k = 0; k < result.Length; k++) result[k] = (order[k], similarities[order[k]]);
        return result;
    }

    private static double Norm(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (float x in v) s += (double)x * x;
        return Math.Sqrt(s);
    }
}
