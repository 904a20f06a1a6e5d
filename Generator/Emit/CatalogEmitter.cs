using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Emit;

/// <summary>Writes <c>DinoCompiled.Generated.DinoModelCatalog</c>: every model compiled in the assembly, sorted by name.</summary>
internal static class CatalogEmitter
{
    public const string HintName = "DinoCompiled.Generated.DinoModelCatalog.g.cs";

    public static string Emit(IEnumerable<ModelSpec> models)
    {
        var w = new IndentedWriter();
        w.Line(CodeText.Header);
        w.Line("// DinoCompiled.Generator: the models compiled in this assembly.");
        w.Line("#nullable enable");
        w.Line();
        using (w.Block("namespace DinoCompiled.Generated"))
        {
            w.Line("/// <summary>Every model compiled in this assembly, sorted by name (internal: each assembly has its own).</summary>");
            using (w.Block("internal static class DinoModelCatalog"))
            {
                w.Line("/// <summary>The compiled models' descriptions.</summary>");
                w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::DinoCompiled.ModelDescription> All { get; } = new global::DinoCompiled.ModelDescription[]");
                w.Line("{");
                w.Indent();
                var sorted = models.OrderBy(m => m.ModelName, System.StringComparer.Ordinal).ToList();
                foreach (var spec in sorted)
                    w.Line("global::" + spec.FullTypeName + ".Description,");
                w.Unindent();
                w.Line("};");
                w.Line();
                w.Line("/// <summary>Calls <c>visitor.Visit&lt;TModel&gt;()</c> with the model class of that name; false when no model has it.</summary>");
                using (w.Block("public static bool Visit(string name, global::DinoCompiled.Compiled.IDinoModelVisitor visitor)"))
                {
                    using (w.Block("switch (name)"))
                    {
                        foreach (var spec in sorted)
                            w.Line("case " + CodeText.String(spec.ModelName) + ": visitor.Visit<global::" + spec.FullTypeName + ">(); return true;");
                        w.Line("default: return false;");
                    }
                }
            }
        }
        return w.ToString();
    }
}
