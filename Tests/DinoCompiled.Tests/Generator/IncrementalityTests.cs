using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DinoCompiled.Generator;
using DinoCompiled.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace DinoCompiled.Tests.Generator;

/// <summary>
/// The generator must be cacheable: a second run on an equal compilation reuses every tracked step, an edit that does
/// not change a model stops at the first step whose output is equal, and no Roslyn object lives in a pipeline model.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] s_trackedSteps =
    {
        TrackingNames.PresetDeclarations, TrackingNames.LayeredDeclarations, TrackingNames.ValidModels,
        TrackingNames.CompiledModels, TrackingNames.Catalog,
    };

    [Fact]
    public void SecondRunOnAClonedCompilationIsCachedAtEveryStep()
    {
        var compilation = GeneratorHarness.Compile(ZooModelSources.All.ToArray());
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        var second = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();

        foreach (var name in s_trackedSteps)
        {
            Assert.True(first.TrackedSteps.ContainsKey(name), $"Step {name} did not run on the first pass.");
            var reasons = second.TrackedSteps[name].SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {name} was {reason} on an unchanged compilation."));
        }
    }

    [Fact]
    public void AnEditThatLeavesTheModelAloneStopsAtDiscovery()
    {
        var sources = ZooModelSources.All.ToArray();
        var compilation = GeneratorHarness.Compile(sources);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        // Append a comment to one model's file: the declaration re-parses, but it lowers to an equal ModelSpec.
        var tree = compilation.SyntaxTrees.First(t => t.FilePath.EndsWith("VitSmall16.cs", StringComparison.Ordinal));
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(tree.Length, 0, "\n// edited\n")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var discovery = result.TrackedSteps[TrackingNames.PresetDeclarations].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Unchanged, discovery);
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, discovery);
        Assert.All(result.TrackedSteps[TrackingNames.CompiledModels].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"CompiledModels was {o.Reason}."));
    }

    [Fact]
    public void AChangedModelIsRecompiled()
    {
        var compilation = GeneratorHarness.Compile(ZooModelSources.All.ToArray());
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.First(t => t.FilePath.EndsWith("VitSmall16.cs", StringComparison.Ordinal));
        var text = tree.GetText().ToString().Replace("Depth = 12", "Depth = 11");
        var result = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text)))).GetRunResult().Results.Single();

        Assert.Contains(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.CompiledModels].SelectMany(s => s.Outputs).Select(o => o.Reason));
    }

    [Fact]
    public void NoRoslynTypeSurvivesInAPipelineModel()
    {
        var compilation = GeneratorHarness.Compile(ZooModelSources.All.Append(("Invalid.cs", GeneratorHarness.WithUsings(
            "[VisionTransformer(EmbedDim = 384, Heads = 5)]\n[DinoHead]\npublic partial class Broken { }"))).ToArray());
        var result = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (var (name, steps) in result.TrackedSteps.Where(s => s_trackedSteps.Contains(s.Key) || s.Key == TrackingNames.OrphanLayers))
            foreach (var output in steps.SelectMany(s => s.Outputs))
                AssertNoRoslynObjects(output.Value, name + ": " + output.Value?.GetType().Name, new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        var type = value.GetType();
        Assert.False(type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true,
            $"A Roslyn object ({type.FullName}) is held at {path}.");
        if (!type.IsValueType && !visited.Add(value)) return;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items) AssertNoRoslynObjects(item, path + "[" + i++ + "]", visited);
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                AssertNoRoslynObjects(field.GetValue(value), path + "." + field.Name, visited);
    }
}
