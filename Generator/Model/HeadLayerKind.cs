namespace DinoCompiled.Generator.Model;

/// <summary>Kinds of layer the head's MLP is made of.</summary>
internal enum HeadLayerKind
{
    Linear,
    Gelu,
}
