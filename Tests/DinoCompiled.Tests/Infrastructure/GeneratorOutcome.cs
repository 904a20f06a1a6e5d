using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>What one generator run produced: sources, the generator's diagnostics, and compile errors of the result.</summary>
internal sealed record GeneratorOutcome(
    GeneratorDriverRunResult RunResult,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompileErrors)
{
    public ImmutableArray<GeneratedSourceResult> Sources => RunResult.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();

    public string Source(string hintName) => Sources.Single(s => s.HintName == hintName).SourceText.ToString();
}
