using DinoCompiled.Generator.Compiler;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Lowering;

/// <summary>A model after lowering: its spec, parameter table, flat-buffer length, costs and compiled schedule. Input of the emitters.</summary>
internal sealed record CompiledModel(
    ModelSpec Spec,
    EquatableArray<ParameterEntry> Parameters,
    long FlatLength,
    EquatableArray<CropCost> Costs,
    CompiledSchedule? Schedule = null)
{
    public long Count(bool head) { long n = 0; foreach (var p in Parameters) if (p.IsHead == head) n += p.Count; return n; }

    public long TrainableCount { get { long n = 0; foreach (var p in Parameters) if (p.Trainable) n += p.Count; return n; } }
}
