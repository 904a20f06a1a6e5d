namespace DinoCompiled.Compiled;

/// <summary>
/// A model whose forward and backward were compiled by the generator; the runtime calls these statically
/// (<c>TModel.HeadForward(...)</c>), so there is no virtual dispatch and no graph at run time.
/// </summary>
public interface ICompiledDinoModel : IDinoModel
{
    /// <summary>The backbone forward for a compiled crop size.</summary>
    static abstract void BackboneForward(int crop, in SegmentBuffers b);

    /// <summary>The backbone backward for a compiled crop size, after its forward on the same arena.</summary>
    static abstract void BackboneBackward(int crop, in SegmentBuffers b);

    /// <summary>The head forward.</summary>
    static abstract void HeadForward(in SegmentBuffers b);

    /// <summary>The head backward, after its forward on the same arena.</summary>
    static abstract void HeadBackward(in SegmentBuffers b);
}
