using System.Collections.Immutable;
using DinoCompiled.Cuda;
using DinoCompiled.Models;

namespace DinoCompiled.Cli;

/// <summary>The generator's GPU plans of a zoo model, through its CUDA half (none for a model the CUDA backend cannot serve).</summary>
public sealed class GpuPlanReader : ICudaModelVisitor
{
    private ImmutableArray<GpuSegmentPlan> _plans;

    public static bool TryRead(string model, out ImmutableArray<GpuSegmentPlan> plans)
    {
        var reader = new GpuPlanReader();
        bool found = CudaModelZoo.Visit(model, reader);
        plans = reader._plans;
        return found && !plans.IsDefault;
    }

    public void Visit<TModel>() where TModel : ICudaDinoModel => _plans = TModel.GpuPlans;
}
