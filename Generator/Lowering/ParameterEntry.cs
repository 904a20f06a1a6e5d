using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Lowering;

/// <summary>One row of the parameter table the generator emits (mirrors the Runtime's <c>ParameterInfo</c>).</summary>
internal sealed record ParameterEntry(
    string Name,
    EquatableArray<int> Shape,
    long Offset,
    long Count,
    InitializerKind Init,
    double InitScale,
    bool WeightDecay,
    bool Trainable,
    bool IsHead,
    string Layer);
