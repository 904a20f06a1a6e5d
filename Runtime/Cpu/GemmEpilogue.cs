// The fused tail of a GEMM. Plain pointer fields so that generated code can build one
// on the stack for each call; the factories name the valid combinations.
namespace DinoCompiled.Cpu;

/// <summary>Describes the epilogue a GEMM applies once, after the whole k loop.</summary>
public unsafe struct GemmEpilogue
{
    /// <summary>Which epilogue.</summary>
    public GemmEpilogueKind Kind;

    /// <summary>Bias over output columns (length n); null means no bias.</summary>
    public float* Bias;

    /// <summary>BiasGelu: where the pre-activation is written; GeluBackward: where it is read. [m, n].</summary>
    public float* PreActivation;

    /// <summary>Leading dimension of <see cref="PreActivation"/>.</summary>
    public int PreActivationLd;

    /// <summary>BiasResidual: the residual stream [m, n]; must not alias C.</summary>
    public float* Residual;

    /// <summary>Leading dimension of <see cref="Residual"/>.</summary>
    public int ResidualLd;

    /// <summary>BiasResidual: per-group scale (drop-path keep mask / keep probability); null means 1.</summary>
    public float* RowScale;

    /// <summary>Rows per <see cref="RowScale"/> entry (tokens per image).</summary>
    public int RowsPerScale;

    /// <summary>No epilogue.</summary>
    public static GemmEpilogue None => default;

    /// <summary>C = acc + bias.</summary>
    public static GemmEpilogue WithBias(float* bias) => new() { Kind = GemmEpilogueKind.Bias, Bias = bias };

    /// <summary>pre = acc + bias (stored), C = gelu(pre).</summary>
    public static GemmEpilogue WithBiasGelu(float* bias, float* preActivation, int preActivationLd) =>
        new() { Kind = GemmEpilogueKind.BiasGelu, Bias = bias, PreActivation = preActivation, PreActivationLd = preActivationLd };

    /// <summary>C = residual + rowScale[i / rowsPerScale] (acc + bias).</summary>
    public static GemmEpilogue WithBiasResidual(float* bias, float* residual, int residualLd, float* rowScale, int rowsPerScale) =>
        new()
        {
            Kind = GemmEpilogueKind.BiasResidual,
            Bias = bias,
            Residual = residual,
            ResidualLd = residualLd,
            RowScale = rowScale,
            RowsPerScale = rowsPerScale,
        };

    /// <summary>C = acc gelu'(pre).</summary>
    public static GemmEpilogue WithGeluBackward(float* preActivation, int preActivationLd) =>
        new() { Kind = GemmEpilogueKind.GeluBackward, PreActivation = preActivation, PreActivationLd = preActivationLd };
}
