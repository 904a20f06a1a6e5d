using System;

namespace DinoCompiled;

/// <summary>
/// The learned position embedding added to the CLS and patch tokens, laid out for the model's image size;
/// for other crop sizes its patch part is resized bicubically. Comes right after the class token.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PositionEmbeddingAttribute : Attribute
{
}
