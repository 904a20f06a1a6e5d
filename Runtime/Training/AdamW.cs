using System;

namespace DinoCompiled.Training;

/// <summary>
/// AdamW over the flat buffers, as PyTorch's (decoupled decay p ← p − lr·wd·p, bias-corrected moments, eps added to
/// √v̂), with DINO's groups: decay only where the parameter table says so, nothing for frozen tensors, and, while the
/// last layer is frozen, no step, no moment update and no decay for it. Step counts are kept per tensor, as PyTorch
/// does, so the last layer's bias correction starts when it starts training.
/// </summary>
public sealed unsafe class AdamW
{
    private readonly ParameterTable _table;
    private readonly long[] _steps;

    /// <summary>An optimizer for the tensors of <paramref name="table"/>.</summary>
    public AdamW(ParameterTable table)
    {
        _table = table;
        _steps = new long[table.Count];
    }

    /// <summary>β1.</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>β2.</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>ε.</summary>
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Steps taken per tensor (for checkpoints).</summary>
    public Span<long> Steps => _steps;

    /// <summary>Whether a tensor belongs to the head's last layer (<c>head.last_layer.*</c>).</summary>
    public static bool IsLastLayer(ParameterInfo p) => p.Name.StartsWith("head.last_layer.", StringComparison.Ordinal);

    /// <summary>Floats per tensor in the hyper-parameter rows <see cref="Advance"/> writes.</summary>
    public const int HyperStride = 4;

    /// <summary>
    /// Advances the per-tensor step counts of one update and writes, per tensor, the row [step size lr/(1 − β1^t),
    /// √(1 − β2^t), decay factor 1 − lr·wd, active (1 or 0)] that an update pass over the flat buffers needs; an inactive
    /// tensor (not trainable, or the last layer while frozen) is left alone. The CPU's <see cref="Step"/> and the GPU's
    /// AdamW kernel both read these rows, so the two compute the same numbers.
    /// </summary>
    public void Advance(float learningRate, float weightDecay, bool freezeLastLayer, Span<float> hyper)
    {
        if (hyper.Length < HyperStride * _table.Count) throw new ArgumentException($"Need {HyperStride * _table.Count} floats, got {hyper.Length}.", nameof(hyper));
        for (int t = 0; t < _table.Count; t++)
        {
            var p = _table[t];
            var row = hyper.Slice(HyperStride * t, HyperStride);
            if (!p.Trainable || (freezeLastLayer && IsLastLayer(p)))
            {
                row.Clear();
                continue;
            }
            long step = ++_steps[t];
            float bias1 = 1f - MathF.Pow(Beta1, step);
            float bias2 = 1f - MathF.Pow(Beta2, step);
            row[0] = learningRate / bias1;
            row[1] = MathF.Sqrt(bias2);
            row[2] = 1f - learningRate * (p.WeightDecay ? weightDecay : 0f);
            row[3] = 1f;
        }
    }

    /// <summary>One update of every trainable tensor.</summary>
    public void Step(float* parameters, float* gradients, float* firstMoment, float* secondMoment, float learningRate, float weightDecay, bool freezeLastLayer)
    {
        Span<float> hyper = _table.Count <= 256 ? stackalloc float[HyperStride * _table.Count] : new float[HyperStride * _table.Count];
        Advance(learningRate, weightDecay, freezeLastLayer, hyper);
        for (int t = 0; t < _table.Count; t++)
        {
            if (hyper[HyperStride * t + 3] == 0f) continue;
            var p = _table[t];
            float stepSize = hyper[HyperStride * t], sqrtBias2 = hyper[HyperStride * t + 1], keep = hyper[HyperStride * t + 2];
            float* w = parameters + p.Offset, g = gradients + p.Offset, m = firstMoment + p.Offset, v = secondMoment + p.Offset;
            float b1 = Beta1, b2 = Beta2, c1 = 1f - Beta1, c2 = 1f - Beta2, eps = Epsilon;
            for (long i = 0; i < p.Count; i++)
            {
                float gi = g[i];
                float mi = m[i] = b1 * m[i] + c1 * gi;
                float vi = v[i] = b2 * v[i] + c2 * gi * gi;
                w[i] = w[i] * keep - stepSize * mi / (MathF.Sqrt(vi) / sqrtBias2 + eps);
            }
        }
    }
}
