using System;

namespace DinoCompiled;

/// <summary>A Linear layer of the head's MLP, from the previous width to <see cref="Out"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LinearAttribute : Attribute
{
    /// <summary>Output width (required).</summary>
    public int Out { get; set; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool Bias { get; set; } = true;
}
