namespace DinoCompiled.Cuda;

/// <summary>One tensor's agreement between the GPU and the CPU: ‖gpu − cpu‖₂ / ‖cpu‖₂ against the mode's bound.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Mode">The precision mode (fp32, tf32, bf16).</param>
/// <param name="Tensor">What was compared, e.g. <c>grad.blocks.0.attn.qkv.weight</c> or <c>after.teacher.cls_token</c>.</param>
/// <param name="RelativeError">The norm-wise relative error.</param>
/// <param name="Bound">The bound of the mode.</param>
public sealed record ConformanceResult(string Model, string Mode, string Tensor, double RelativeError, double Bound)
{
    /// <summary>Whether the error is within the bound (NaN fails).</summary>
    public bool Pass => RelativeError <= Bound;
}
