using System.Collections.Immutable;

namespace DinoCompiled.Evaluation;

/// <summary>
/// The choices of the linear probe, each explicit: the reference's eval_linear.py trains 100 epochs of SGD (momentum
/// 0.9, no weight decay) with a cosine schedule to 0 and a learning rate scaled by batch / 256; its learning rate is
/// chosen here from <see cref="LearningRates"/> on a held-out share of the training features.
/// </summary>
public sealed record LinearProbeOptions
{
    /// <summary>The optimizer. Default: SGD with momentum 0.9.</summary>
    public LinearProbeOptimizer Optimizer { get; init; } = LinearProbeOptimizer.Sgd;

    /// <summary>Epochs over the training features. Default: 100.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Features per step. Default: 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// Base learning rates tried (each scaled by batch / 256), on standardized features. Default: 1e-3 to 1 in
    /// half-decades for SGD, which brackets the reference's 1e-3 on its raw features.
    /// </summary>
    public ImmutableArray<double> LearningRates { get; init; } = ImmutableArray.Create(0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0);

    /// <summary>Weight decay (L2 for SGD, decoupled for AdamW). Default: 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Epochs of linear warm-up before the cosine schedule. Default: 0.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>
    /// The share of the training features held out to choose the learning rate; 0 trains on everything with the
    /// first learning rate alone. Default: 0.1.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// Whether each feature dimension is centered and scaled by its training mean and standard deviation first (folded
    /// into the saved weights, so the classifier takes raw features). Default: true.
    /// </summary>
    public bool Standardize { get; init; } = true;

    /// <summary>Seed of the split and the shuffles. Default: 0.</summary>
    public int Seed { get; init; }
}
