using System;

namespace DinoCompiled;

/// <summary>The backbone's final LayerNorm (<c>norm</c>); its CLS output is the backbone's feature.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
}
