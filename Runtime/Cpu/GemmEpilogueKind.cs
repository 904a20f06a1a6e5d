namespace DinoCompiled.Cpu;

/// <summary>What <see cref="Gemm.Compute(int, int, int, float*, int, bool, float*, int, bool, float*, int, float, in GemmEpilogue)"/> applies to the product before it writes C.</summary>
public enum GemmEpilogueKind
{
    /// <summary>C = acc (+ beta C).</summary>
    None,

    /// <summary>C = acc + bias[j] (+ beta C).</summary>
    Bias,

    /// <summary>pre = acc + bias[j] is stored to PreActivation; C = gelu(pre) (+ beta C), exact erf GELU.</summary>
    BiasGelu,

    /// <summary>C = residual[i, j] + rowScale[i / RowsPerScale] (acc + bias[j]) (+ beta C): residual add with stochastic depth.</summary>
    BiasResidual,

    /// <summary>C = acc gelu'(pre[i, j]) (+ beta C): the GELU backward fused into the input-gradient GEMM.</summary>
    GeluBackward,
}
