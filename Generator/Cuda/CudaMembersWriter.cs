using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DinoCompiled.Generator.Compiler;
using DinoCompiled.Generator.Emit;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// The C# members of a model's CUDA half: the module (source and kernel names), the kernel numbering, the grid helpers,
/// the per-segment CUDA schedules and the <c>ICudaDinoModel</c> dispatch by crop size.
/// </summary>
internal static class CudaMembersWriter
{
    private const string Buffers = "in global::DinoCompiled.Compiled.SegmentBuffers b, global::DinoCompiled.Cuda.CudaOps ops";

    public static string Write(ModelSpec spec, CudaSourceEmitter module, string schedules, IReadOnlyList<GpuSegmentPlan> gpuPlans, string? bf16Unsupported)
    {
        var w = new IndentedWriter();
        WriteGpuPlans(w, gpuPlans);
        w.Line("/// <inheritdoc cref=\"global::DinoCompiled.Cuda.ICudaDinoModel.Bf16TrainingUnsupported\"/>");
        w.Line("public static string? Bf16TrainingUnsupported => " + (bf16Unsupported is null ? "null" : CodeText.String(bf16Unsupported)) + ";");
        w.Line();
        w.Line("/// <summary>Blocks of the parameter passes (dino_grad_sqnorm, dino_grad_clip, dino_adamw): one per chunk of " +
               CudaSourceEmitter.ParameterChunk + " floats of one tensor; also the length of the partials of dino_grad_sqnorm.</summary>");
        w.Line("public const int CudaParameterChunks = " + module.ParameterChunks.ToString(CultureInfo.InvariantCulture) + ";");
        w.Line();
        w.Line("/// <inheritdoc cref=\"global::DinoCompiled.Cuda.ICudaDinoModel.CudaModule\"/>");
        w.Line("public static global::DinoCompiled.Cuda.CudaModuleSource CudaModule { get; } = new(ModelName, CudaSource, new[]");
        w.Line("{");
        w.Indent();
        foreach (var name in module.KernelNames) w.Line(CodeText.String(name) + ",");
        w.Unindent();
        w.Line("});");
        w.Line();
        w.Line("/// <summary>Kernel indices into <see cref=\"CudaModule\"/>'s names, as the schedules launch them.</summary>");
        using (w.Block("private static class CudaKernel"))
        {
            for (int i = 0; i < module.KernelNames.Count; i++)
                w.Line("public const int " + module.KernelNames[i] + " = " + i.ToString(CultureInfo.InvariantCulture) + ";");
        }
        w.Line();
        w.Line("/// <summary>Blocks of 256 threads for a grid-stride kernel over <paramref name=\"items\"/> (at least 1, at most 16384).</summary>");
        w.Line("private static uint CudaBlocks(long items) => (uint)global::System.Math.Clamp((items + 255) / 256, 1L, 16384L);");
        w.Line();
        w.Line("/// <summary>Blocks of a warp-per-row kernel: 8 rows per 256-thread block.</summary>");
        w.Line("private static uint CudaRowBlocks(int rows) => (uint)global::System.Math.Max((rows + 7) / 8, 1);");
        w.Line();
        w.Line("/// <summary>Row chunks of a deterministic column sum: one per <paramref name=\"rowsPerChunk\"/> rows, at most " +
               CudaSourceEmitter.MaxPartialChunks + " (the module's scratch).</summary>");
        w.Line("private static uint CudaChunks(int rows, int rowsPerChunk) => (uint)global::System.Math.Clamp((rows + rowsPerChunk - 1) / rowsPerChunk, 1, " +
               CudaSourceEmitter.MaxPartialChunks + ");");
        w.Line();
        foreach (var line in schedules.TrimEnd('\n').Split('\n')) w.Line(line);
        w.Line();
        Dispatch(spec, w, "BackboneForwardCuda", "ForwardCuda");
        w.Line();
        Dispatch(spec, w, "BackboneBackwardCuda", "BackwardCuda");
        w.Line();
        Dispatch(spec, w, "BackboneForwardOnlyCudaBf16", "ForwardOnlyCudaBf16");
        w.Line();
        Dispatch(spec, w, "BackboneForwardCudaBf16", "ForwardCudaBf16");
        w.Line();
        Dispatch(spec, w, "BackboneBackwardCudaBf16", "BackwardCudaBf16");
        w.Line();
        w.Line("/// <summary>The CUDA C of <see cref=\"CudaModule\"/>.</summary>");
        w.Line("private const string CudaSource = \"\"\"");
        foreach (var line in module.Source.TrimEnd('\n').Split('\n')) w.Line(line);
        w.Line("\"\"\";");
        return w.ToString();
    }

    private static void WriteGpuPlans(IndentedWriter w, IReadOnlyList<GpuSegmentPlan> plans)
    {
        const string Ns = "global::DinoCompiled.Cuda.";
        w.Line("/// <inheritdoc cref=\"global::DinoCompiled.Cuda.ICudaDinoModel.GpuPlans\"/>");
        w.Line("public static global::System.Collections.Immutable.ImmutableArray<" + Ns + "GpuSegmentPlan> GpuPlans { get; } = global::System.Collections.Immutable.ImmutableArray.Create(");
        w.Indent();
        for (int i = 0; i < plans.Count; i++)
        {
            var p = plans[i];
            w.Line("new " + Ns + "GpuSegmentPlan(" + CodeText.String(p.Segment) + ", " + p.Crop + ", " + CodeText.Long(p.TrainingFixedBytes) + ", " +
                   CodeText.Long(p.TrainingBytesPerUnit) + ", " + CodeText.Long(p.ForwardFixedBytes) + ", " + CodeText.Long(p.ForwardBytesPerUnit) + ",");
            w.Indent();
            w.Line("global::System.Collections.Immutable.ImmutableArray.Create(");
            w.Indent();
            for (int j = 0; j < p.Nodes.Count; j++)
            {
                var n = p.Nodes[j];
                w.Line("new " + Ns + "GpuNodeCost(" + CodeText.String(n.Op) + ", " + CodeText.String(n.Layer) + ", " + (n.Forward ? "true" : "false") + ", " +
                       CodeText.Long(n.TensorFlopsPerUnit) + ", " + CodeText.Long(n.OtherFlopsPerUnit) + ", " + CodeText.Long(n.BytesPerUnit) + ", " +
                       CodeText.Long(n.FixedBytes) + ", " + n.Launches.ToString(CultureInfo.InvariantCulture) + ")" + (j == p.Nodes.Count - 1 ? "))" : ","));
            }
            w.Unindent();
            w.Unindent();
            if (i < plans.Count - 1) w.Line(",");
        }
        w.Unindent();
        w.Line(");");
        w.Line();
    }

    private static void Dispatch(ModelSpec spec, IndentedWriter w, string name, string pass)
    {
        w.Line("/// <inheritdoc cref=\"global::DinoCompiled.Cuda.ICudaDinoModel." + name + "\"/>");
        using (w.Block("public static void " + name + "(int crop, " + Buffers + ")"))
        {
            using (w.Block("switch (crop)"))
            {
                foreach (int crop in spec.CropSizes)
                    w.Line("case " + crop.ToString(CultureInfo.InvariantCulture) + ": Backbone" + crop + pass + "(b, ops); return;");
                w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(crop), crop, \"" + spec.ClassName + " is compiled for crops " +
                       string.Join(" and ", spec.CropSizes) + " only.\");");
            }
        }
    }
}
