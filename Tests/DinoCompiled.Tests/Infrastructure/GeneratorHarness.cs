using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using DinoCompiled.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>Runs the DINO generator over source text in memory, the way the compiler does in a build.</summary>
internal static class GeneratorHarness
{
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    /// <summary>The framework's assemblies and the Runtime (which holds the attributes the declarations use).</summary>
    private static readonly ImmutableArray<MetadataReference> s_references =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(VisionTransformerAttribute).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();

    /// <summary>Source with the usings every test declaration needs.</summary>
    public static string WithUsings(string body) => "using DinoCompiled;\n\nnamespace Tests;\n\n" + body;

    public static CSharpCompilation Compile(params (string Path, string Text)[] sources) =>
        CSharpCompilation.Create("DinoCompiled.TestModels",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, s_parseOptions, s.Path)),
            s_references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(DinoModelGenerator? generator = null, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { (generator ?? new DinoModelGenerator()).AsSourceGenerator() },
            parseOptions: s_parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns its result and the compile diagnostics of the program with the generated code added.</summary>
    public static GeneratorOutcome Run(IEnumerable<(string Path, string Text)> sources, DinoModelGenerator? generator = null)
    {
        var compilation = Compile(sources.ToArray());
        var driver = CreateDriver(generator).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var compileErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return new GeneratorOutcome(driver.GetRunResult(), generatorDiagnostics, compileErrors);
    }

    public static GeneratorOutcome Run(string source, DinoModelGenerator? generator = null) =>
        Run(new[] { ("Model.cs", WithUsings(source)) }, generator);
}
