namespace DinoCompiled.Evaluation;

/// <summary>The optimizer of the linear probe.</summary>
public enum LinearProbeOptimizer
{
    /// <summary>SGD with momentum 0.9, as the reference's eval_linear.py.</summary>
    Sgd,

    /// <summary>AdamW (β 0.9, 0.999; decoupled weight decay).</summary>
    AdamW,
}
