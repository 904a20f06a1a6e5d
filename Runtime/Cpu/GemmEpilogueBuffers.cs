// The span form of GemmEpilogue, for callers without pointers; the GEMM pins each span.
// An empty span means "none" (null in GemmEpilogue).
using System;

namespace DinoCompiled.Cpu;

/// <summary>Epilogue operands as spans, for the span overload of <see cref="Gemm"/>.</summary>
public ref struct GemmEpilogueBuffers
{
    /// <summary>Which epilogue.</summary>
    public GemmEpilogueKind Kind;

    /// <summary>Bias over output columns; empty for none.</summary>
    public ReadOnlySpan<float> Bias;

    /// <summary>Written by BiasGelu, read by GeluBackward.</summary>
    public Span<float> PreActivation;

    /// <summary>Leading dimension of <see cref="PreActivation"/>.</summary>
    public int PreActivationLd;

    /// <summary>BiasResidual's residual stream.</summary>
    public ReadOnlySpan<float> Residual;

    /// <summary>Leading dimension of <see cref="Residual"/>.</summary>
    public int ResidualLd;

    /// <summary>Per-group row scale; empty means 1.</summary>
    public ReadOnlySpan<float> RowScale;

    /// <summary>Rows per <see cref="RowScale"/> entry.</summary>
    public int RowsPerScale;

    internal readonly void Check(int m, int n)
    {
        if (!Bias.IsEmpty) SpanChecks.Length(Bias.Length, n, nameof(Bias));
        if (Kind is GemmEpilogueKind.BiasGelu or GemmEpilogueKind.GeluBackward)
        {
            SpanChecks.Matrix(PreActivation.Length, m, n, PreActivationLd, nameof(PreActivation));
        }

        if (Kind == GemmEpilogueKind.BiasResidual)
        {
            SpanChecks.Matrix(Residual.Length, m, n, ResidualLd, nameof(Residual));
            if (!RowScale.IsEmpty)
            {
                if (RowsPerScale < 1) throw new ArgumentException("RowsPerScale must be positive.", nameof(RowsPerScale));
                SpanChecks.Length(RowScale.Length, (m - 1) / RowsPerScale + 1, nameof(RowScale));
            }
        }
    }
}
