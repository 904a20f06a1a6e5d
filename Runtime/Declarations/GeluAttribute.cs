using System;

namespace DinoCompiled;

/// <summary>An exact (erf) GELU between two Linear layers of the head's MLP.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GeluAttribute : Attribute
{
}
