using System;

namespace DinoCompiled.Training;

/// <summary>
/// Fills a flat parameter buffer from the parameter table's initializers (the reference's: truncated normal std 0.02
/// cut at ±2 as timm's <c>trunc_normal_</c>, PyTorch's default uniform where DINO keeps it, constants), from one seed.
/// The padding between tensors stays zero.
/// </summary>
public static unsafe class ParameterInitializer
{
    /// <summary>Initialises every tensor; the same seed gives the same weights on every machine.</summary>
    public static void Initialize(float* parameters, ParameterTable table, int seed)
    {
        var random = new Random(seed);
        new Span<float>(parameters, checked((int)table.FlatLength)).Clear();
        foreach (var p in table)
        {
            float* x = parameters + p.Offset;
            switch (p.Init.Kind)
            {
                case InitKind.Constant:
                    new Span<float>(x, checked((int)p.Count)).Fill((float)p.Init.Scale);
                    break;
                case InitKind.Uniform:
                    for (long i = 0; i < p.Count; i++) x[i] = (float)((random.NextDouble() * 2 - 1) * p.Init.Scale);
                    break;
                case InitKind.TruncatedNormal:
                    for (long i = 0; i < p.Count; i++) x[i] = (float)TruncatedNormal(random, p.Init.Scale);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown initializer {p.Init.Kind} for {p.Name}.");
            }
        }
    }

    /// <summary>Normal(0, std) redrawn until it falls in [−2, 2] (absolute bounds, as timm's defaults).</summary>
    private static double TruncatedNormal(Random random, double std)
    {
        while (true)
        {
            double value = std * StandardNormal(random);
            if (value >= -2 && value <= 2) return value;
        }
    }

    /// <summary>Box–Muller.</summary>
    public static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
