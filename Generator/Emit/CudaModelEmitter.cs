using DinoCompiled.Generator.Lowering;

namespace DinoCompiled.Generator.Emit;

/// <summary>
/// Writes a model's CUDA half as its own file: the same partial class, declaring <c>ICudaDinoModel</c>, with the
/// generated CUDA module and the CUDA schedules (see <c>docs/CUDA.md</c>).
/// </summary>
internal static class CudaModelEmitter
{
    /// <summary>The file's name: the model file's, with <c>.Cuda</c> before the extension.</summary>
    public static string HintName(Model.ModelSpec spec) => ModelEmitter.HintName(spec).Replace(".g.cs", ".Cuda.g.cs");

    public static string Emit(CompiledModel model)
    {
        var spec = model.Spec;
        var w = new IndentedWriter();
        w.Line(CodeText.Header);
        w.Line("// DinoCompiled.Generator compiled '" + spec.ModelName + "' for CUDA: the module's C source and the schedules on the GPU.");
        w.Line("// Do not edit: change the attributes and build again.");
        w.Line("#nullable enable");
        w.Line();
        if (spec.Namespace.Length > 0)
        {
            using (w.Block("namespace " + spec.Namespace)) WriteClass(w, model);
        }
        else WriteClass(w, model);
        return w.ToString();
    }

    private static void WriteClass(IndentedWriter w, CompiledModel model)
    {
        using (w.Block("partial class " + model.Spec.ClassName + " : global::DinoCompiled.Cuda.ICudaDinoModel"))
        {
            foreach (var line in model.Schedule!.CudaMembers!.TrimEnd('\n').Split('\n')) w.Line(line);
        }
    }
}
