using System;

namespace DinoCompiled.Training;

/// <summary>
/// The reference DINO's per-iteration schedule: a linear warm-up from <c>start</c> to <c>base</c> over the warm-up
/// iterations, then a cosine from <c>base</c> to <c>final</c>: v_i = final + (base − final)(1 + cos(π i / n)) / 2.
/// </summary>
public sealed class CosineSchedule
{
    private readonly double[] _values;

    /// <summary>Builds the schedule for <paramref name="epochs"/> × <paramref name="iterationsPerEpoch"/> iterations.</summary>
    public CosineSchedule(double baseValue, double finalValue, int epochs, int iterationsPerEpoch, int warmupEpochs = 0, double warmupStart = 0)
    {
        if (epochs < 1 || iterationsPerEpoch < 1) throw new ArgumentOutOfRangeException(nameof(epochs), "A schedule needs at least one epoch of one iteration.");
        int total = epochs * iterationsPerEpoch;
        int warmup = Math.Min(total, warmupEpochs * iterationsPerEpoch);
        _values = new double[total];
        for (int i = 0; i < warmup; i++)
            _values[i] = warmup == 1 ? warmupStart : warmupStart + (baseValue - warmupStart) * i / (warmup - 1); // np.linspace
        int rest = total - warmup;
        for (int i = 0; i < rest; i++)
            _values[warmup + i] = finalValue + 0.5 * (baseValue - finalValue) * (1 + Math.Cos(Math.PI * i / rest));
    }

    /// <summary>Iterations covered.</summary>
    public int Length => _values.Length;

    /// <summary>The value at an iteration (the last value past the end).</summary>
    public double this[long iteration] => _values[Math.Min(iteration, _values.Length - 1)];
}
