using System;

namespace DinoCompiled.Data;

/// <summary>A closed interval [Min, Max] that a random value is drawn from (a crop's scale, its aspect ratio, a blur sigma).</summary>
/// <param name="Min">The lower bound.</param>
/// <param name="Max">The upper bound, not below <paramref name="Min"/>.</param>
public readonly record struct SamplingRange(double Min, double Max)
{
    /// <summary>Throws when the range is empty, not finite, or not within [<paramref name="lowest"/>, <paramref name="highest"/>].</summary>
    public void Validate(string name, double lowest, double highest)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Min > Max || Min < lowest || Max > highest)
            throw new ArgumentException($"{name} must satisfy {lowest} <= min <= max <= {highest}; got ({Min}, {Max}).", name);
    }

    /// <summary><c>(0.4, 1)</c>.</summary>
    public override string ToString() => FormattableString.Invariant($"({Min}, {Max})");
}
