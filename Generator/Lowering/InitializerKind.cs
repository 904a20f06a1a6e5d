namespace DinoCompiled.Generator.Lowering;

/// <summary>Mirrors the Runtime's <c>InitKind</c>; the emitter writes the member of the same name.</summary>
internal enum InitializerKind
{
    Constant,
    TruncatedNormal,
    Uniform,
}
