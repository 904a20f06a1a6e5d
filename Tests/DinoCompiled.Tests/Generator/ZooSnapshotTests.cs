using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Generator;

/// <summary>The generated code of every zoo model, against its approved snapshot; a change to the emitters shows up here.</summary>
public sealed class ZooSnapshotTests
{
    private static readonly GeneratorOutcome s_outcome = GeneratorHarness.Run(ZooModelSources.All);

    public static IEnumerable<object[]> Models => ZooModelSources.ModelClasses.Select(m => new object[] { m });

    [Theory]
    [MemberData(nameof(Models))]
    public void GeneratedModel(string model) =>
        Snapshot.Match(s_outcome.Sources.Single(s => s.HintName.StartsWith("DinoCompiled.Models." + model + ".", System.StringComparison.Ordinal) &&
            !s.HintName.EndsWith(".Cuda.g.cs", System.StringComparison.Ordinal)).SourceText.ToString(),
            suffix: model, extension: "cs");

    [Fact]
    public void GeneratedCatalog() =>
        Snapshot.Match(s_outcome.Source("DinoCompiled.Generated.DinoModelCatalog.g.cs"), extension: "cs");

    [Fact]
    public void ZooCompilesWithoutDiagnostics()
    {
        Assert.Empty(s_outcome.GeneratorDiagnostics);
        Assert.Empty(s_outcome.CompileErrors);
        // Per model: the model file and its CUDA file; plus the catalog.
        Assert.Equal(2 * ZooModelSources.ModelClasses.Count() + 1, s_outcome.Sources.Length);
    }
}
