using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DinoCompiled.Generator.Cuda;
using DinoCompiled.Generator.Emit;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// The compiler proper: for each compiled crop size and for the head, lower to the graph IR, differentiate, fuse,
/// plan memory, and emit the straight-line forward and backward; then the dispatch members the runtime calls.
/// </summary>
internal static class ScheduleCompiler
{
    private const string Buffers = "in global::DinoCompiled.Compiled.SegmentBuffers b";

    public static CompiledSchedule Compile(CompiledModel model)
    {
        var w = new IndentedWriter();
        var plans = new List<SegmentPlan>();
        var cuda = new IndentedWriter();
        var attentionPlans = CudaBackendSupport.TryPlan(model.Spec, out string? cudaUnavailable);
        var module = attentionPlans is null ? null : CudaSourceEmitter.Emit(model, attentionPlans);
        var gpuPlans = new List<GpuSegmentPlan>();
        string? bf16Unsupported = null;
        foreach (var (graph, plan, crop) in CompileGraphs(model))
        {
            if (module is not null)
            {
                cuda.Line("// ---- " + graph.Name + " on the GPU: the same nodes, order and arena offsets as " + graph.Name + "Forward/Backward ----");
                cuda.Line();
                CudaScheduleEmitter.Emit(graph, plan, cuda, module, crop, model.Spec.EmbedDim);
                cuda.Line();
                CudaScheduleEmitter.EmitForwardOnlyBf16(graph, cuda, module, crop, model.Spec.EmbedDim);
                cuda.Line();
                string? unsupported = CudaScheduleEmitter.EmitTrainingBf16(graph, cuda, module, crop, model.Spec.EmbedDim);
                bf16Unsupported ??= unsupported;
                gpuPlans.Add(GpuSegmentPlanner.Plan(graph, crop));
            }
            w.Line("// ---- " + graph.Name + ": " + (graph.Forward.Count + graph.Backward.Count) + " kernel calls; arena " +
                   CodeText.Long(plan.FixedFloats) + " + " + CodeText.Long(plan.FloatsPerUnit) + " floats per unit (" +
                   CodeText.Long(plan.UnplannedFloatsPerUnit) + " without reuse) ----");
            w.Line();
            ScheduleEmitter.Emit(graph, plan, w, crop == 0 ? "" : ResizePlanName(model.Spec, crop));
            w.Line();
            plans.Add(new SegmentPlan(graph.Name, crop, plan.FixedFloats, plan.FloatsPerUnit, plan.UnplannedFixedFloats, plan.UnplannedFloatsPerUnit,
                graph.Forward.Count + graph.Backward.Count, Taps(graph, plan)));
        }
        WriteDispatch(model.Spec, w);
        return new CompiledSchedule(w.ToString(), plans.ToEquatableArray(), module is null ? null : CudaMembersWriter.Write(model.Spec, module, cuda.ToString(), gpuPlans, bf16Unsupported),
            cudaUnavailable);
    }

    /// <summary>Every segment after all passes: the backbone per compiled crop size, then the head (crop 0).</summary>
    internal static IEnumerable<(Graph Graph, MemoryPlan Plan, int Crop)> CompileGraphs(CompiledModel model)
    {
        var spec = model.Spec;
        foreach (int crop in spec.CropSizes)
        {
            var graph = BackboneGraphBuilder.Build(model, crop);
            var output = graph.Tensors.First(t => t.External == "b.Output");
            Autodiff.Differentiate(graph, output, graph.External("grad.features", "b.OutputGradient", 1, spec.EmbedDim), null, null);
            Fusion.Run(graph);
            yield return (graph, MemoryPlanner.Plan(graph), crop);
        }

        var head = HeadGraphBuilder.Build(model);
        var logits = head.Tensors.First(t => t.External == "b.Output");
        var features = head.Tensors.First(t => t.External == "b.Input");
        Autodiff.Differentiate(head, logits, head.External("grad.logits", "b.OutputGradient", 1, spec.Head.OutDim), features,
            head.External("grad.features", "b.InputGradient", 1, spec.EmbedDim));
        Fusion.Run(head);
        yield return (head, MemoryPlanner.Plan(head), 0);
    }

    /// <summary>The segment's taps in graph order; every tap is a per-unit arena tensor.</summary>
    private static EquatableArray<TapPlan> Taps(Graph graph, MemoryPlan plan) =>
        graph.Tensors.Where(t => t.Tap is not null)
            .Select(t => new TapPlan(t.Tap!, plan.Offsets[t.Storage], t.RowsPerUnit, t.Cols))
            .ToEquatableArray();

    private static string ResizePlanName(ModelSpec spec, int crop) => crop == spec.ImageSize ? "" : "s_resizePositions" + crop;

    /// <summary>The members the runtime calls through <c>ICompiledDinoModel</c>: dispatch by crop size, and the resize plans.</summary>
    private static void WriteDispatch(ModelSpec spec, IndentedWriter w)
    {
        int sourceGrid = spec.ImageSize / spec.Patch;
        foreach (int crop in spec.CropSizes.Where(c => c != spec.ImageSize))
        {
            int grid = crop / spec.Patch;
            // As the reference DINO: interpolate with scale_factor (g + 0.1) / G, so the source coordinate uses that scale.
            w.Line("private static readonly global::DinoCompiled.Cpu.BicubicResizePlan " + ResizePlanName(spec, crop) + " = new(" + sourceGrid + ", " + grid +
                   ", (" + grid + " + 0.1) / " + sourceGrid + ");");
            w.Line();
        }

        DispatchMethod(spec, w, "BackboneForward", "Forward");
        w.Line();
        DispatchMethod(spec, w, "BackboneBackward", "Backward");
    }

    private static void DispatchMethod(ModelSpec spec, IndentedWriter w, string name, string pass)
    {
        w.Line("/// <inheritdoc cref=\"global::DinoCompiled.Compiled.ICompiledDinoModel." + name + "\"/>");
        using (w.Block("public static void " + name + "(int crop, " + Buffers + ")"))
        {
            using (w.Block("switch (crop)"))
            {
                foreach (int crop in spec.CropSizes)
                    w.Line("case " + crop.ToString(CultureInfo.InvariantCulture) + ": Backbone" + crop + pass + "(b); return;");
                w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(crop), crop, \"" + spec.ClassName + " is compiled for crops " +
                       string.Join(" and ", spec.CropSizes) + " only.\");");
            }
        }
    }
}
