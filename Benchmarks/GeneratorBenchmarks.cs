using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using DinoCompiled.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DinoCompiled.Benchmarks;

/// <summary>
/// What the generator costs a build (and an IDE on every keystroke): a cold run over the whole zoo, and the
/// incremental run after an edit that leaves the models unchanged, which caching should make nearly free.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var zoo = Path.Combine(AppContext.BaseDirectory, "zoo");
        var trees = Directory.GetFiles(zoo, "*.cs").Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), path: p)).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal))
            .Append(typeof(VisionTransformerAttribute).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        _compilation = CSharpCompilation.Create("Zoo", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var unrelated = CSharpSyntaxTree.ParseText("namespace Other { public class Unrelated { } }", path: "Unrelated.cs");
        _edited = _compilation.AddSyntaxTrees(unrelated);
        _warmDriver = NewDriver().RunGenerators(_compilation);
    }

    [Benchmark(Baseline = true, Description = "cold run, whole zoo")]
    public GeneratorDriverRunResult ColdRun() => NewDriver().RunGenerators(_compilation).GetRunResult();

    [Benchmark(Description = "incremental run after an unrelated edit")]
    public GeneratorDriverRunResult IncrementalRun() => _warmDriver.RunGenerators(_edited).GetRunResult();

    private static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(new DinoModelGenerator());
}
