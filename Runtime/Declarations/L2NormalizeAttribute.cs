using System;

namespace DinoCompiled;

/// <summary>L2-normalization of the head's bottleneck features, right before the weight-normalized last layer.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class L2NormalizeAttribute : Attribute
{
}
