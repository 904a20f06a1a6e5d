namespace DinoCompiled.Generator.Compiler;

/// <summary>Where a tensor of the graph lives.</summary>
internal enum TensorRole
{
    /// <summary>A view into the flat parameter buffer.</summary>
    Parameter,

    /// <summary>The same view into the flat gradient buffer (always accumulated into).</summary>
    ParameterGradient,

    /// <summary>A buffer the caller passes in (images, features, logits and their gradients).</summary>
    External,

    /// <summary>An intermediate the memory plan places in the segment's arena.</summary>
    Arena,
}
