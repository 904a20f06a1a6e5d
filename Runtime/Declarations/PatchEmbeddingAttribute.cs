using System;

namespace DinoCompiled;

/// <summary>The patch embedding: a convolution with kernel = stride = <see cref="Patch"/> to <see cref="Dim"/> channels. The first layer.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PatchEmbeddingAttribute : Attribute
{
    /// <summary>Side of a square patch (required).</summary>
    public int Patch { get; set; }

    /// <summary>Token width D of the whole backbone (required).</summary>
    public int Dim { get; set; }
}
