using System;
using DinoCompiled.Generator.Compiler;
using DinoCompiled.Generator.Diagnostics;
using DinoCompiled.Generator.Model;
using DinoCompiled.Generator.Parsing;

namespace DinoCompiled.Generator.Lowering;

/// <summary>ModelSpec -> CompiledModel: the parameter layout, the costs and the compiled schedule; sizes beyond what a flat buffer holds become DINO1008.</summary>
internal static class ModelLowering
{
    /// <summary>The largest flat buffer the runtimes allocate: one .NET array of float32.</summary>
    public const long MaxFlatLength = 0x7FFFFFC7;

    public static Result<CompiledModel> Lower(ModelSpec spec)
    {
        var diagnostics = new DiagnosticBag();
        try
        {
            var (parameters, flatLength) = ParameterTableBuilder.Build(spec);
            if (flatLength > MaxFlatLength)
            {
                diagnostics.Add(DiagnosticDescriptors.ModelTooLarge, spec.Location, spec.ClassName,
                    Formatting.Grouped(flatLength) + " parameter elements, more than the " + Formatting.Grouped(MaxFlatLength) + " one flat buffer holds");
                return diagnostics.ToResult<CompiledModel>(null);
            }
            var model = new CompiledModel(spec, parameters, flatLength, FlopCounter.Count(spec));
            var schedule = ScheduleCompiler.Compile(model);
            if (schedule.CudaUnavailable is { } reason) diagnostics.Add(DiagnosticDescriptors.CudaBackendUnavailable, spec.Location, spec.ClassName, reason);
            return diagnostics.ToResult(model with { Schedule = schedule });
        }
        catch (OverflowException)
        {
            diagnostics.Add(DiagnosticDescriptors.ModelTooLarge, spec.Location, spec.ClassName, "its sizes overflow the element and token counts");
            return diagnostics.ToResult<CompiledModel>(null);
        }
    }
}
