using System;

namespace DinoCompiled;

/// <summary>The learned CLS token prepended to the patch tokens; comes right after the patch embedding.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ClassTokenAttribute : Attribute
{
}
