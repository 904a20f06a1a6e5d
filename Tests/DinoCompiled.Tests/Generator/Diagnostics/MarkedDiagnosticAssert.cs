using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DinoCompiled.Generator;
using DinoCompiled.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Sdk;

namespace DinoCompiled.Tests.Generator.Diagnostics;

/// <summary>
/// The checks of <see cref="DiagnosticAssert"/> (same markup, exact ids, spans and messages in source order), reading the
/// marked text through each diagnostic's file path and span. The generator rebuilds its locations from cached numbers
/// (<c>LocationInfo.ToLocation</c>), so they carry no <see cref="Location.SourceTree"/>, which DiagnosticAssert relies on.
/// Also takes several files, a generator of the test's own, and returns the run for further checks.
/// </summary>
internal static class MarkedDiagnosticAssert
{
    public const string DeclarationPath = "Model.cs";

    /// <summary>One declaration, wrapped like <see cref="DiagnosticAssert"/> wraps it; an invalid declaration must produce no model code.</summary>
    public static GeneratorOutcome Reports(string markedDeclaration, params string[] messages) =>
        ReportsInFiles(new[] { (DeclarationPath, GeneratorHarness.WithUsings(markedDeclaration)) }, messages);

    /// <summary>Whole files (usings and namespaces written out); an invalid declaration must produce no model code.</summary>
    public static GeneratorOutcome ReportsInFiles(IReadOnlyList<(string Path, string MarkedText)> files, params string[] messages)
    {
        var outcome = ReportsIgnoringEmission(new DinoModelGenerator(), files, messages);
        if (outcome.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            Assert.True(outcome.Sources.All(s => s.HintName.StartsWith("DinoCompiled.Generated", StringComparison.Ordinal)),
                "An invalid declaration must not produce model code, but the generator added " + string.Join(", ", outcome.Sources.Select(s => s.HintName)));
        return outcome;
    }

    /// <summary>
    /// Checks the diagnostics only, for those that arise beside valid models' code (a shared model name, a failure of the
    /// orphan check or of the catalog); the test checks what was generated itself.
    /// </summary>
    public static GeneratorOutcome ReportsIgnoringEmission(DinoModelGenerator generator, IReadOnlyList<(string Path, string MarkedText)> files, params string[] messages)
    {
        var sources = new List<(string Path, string Text)>();
        var expected = new List<(string Id, string Path, int Start, string Text)>();
        foreach (var (path, marked) in files)
        {
            var (text, marks) = DiagnosticMarkup.Parse(marked);
            sources.Add((path, text));
            expected.AddRange(marks.Select(m => (m.Id, path, m.Start, m.Text)));
        }
        Assert.True(expected.Count == messages.Length, $"The test marks {expected.Count} diagnostic(s) but gives {messages.Length} message(s).");

        var outcome = GeneratorHarness.Run(sources, generator);
        var texts = sources.ToDictionary(s => s.Path, s => s.Text);
        var order = sources.Select((s, i) => (s.Path, i)).ToDictionary(p => p.Path, p => p.i);
        var actual = outcome.GeneratorDiagnostics
            .Where(d => d.Id.StartsWith("DINO", StringComparison.Ordinal))
            .Select(d => Describe(d, texts))
            .OrderBy(d => order.TryGetValue(d.Path, out int index) ? index : sources.Count)
            .ThenBy(d => d.Start)
            .ToList();

        string report = string.Join("\n", actual.Select(d =>
                $"  {(files.Count > 1 ? d.Path + ": " : "")}{{|{d.Id}:{d.Text}|}} at {d.Start} \"{d.Message}\"")
            .Concat(outcome.RunResult.Results.Where(r => r.Exception is not null).Select(r => "  and the generator threw " + r.Exception)));
        if (actual.Count != expected.Count)
            throw new XunitException($"Expected {expected.Count} DINO diagnostic(s), got {actual.Count}:\n{report}");
        for (int i = 0; i < expected.Count; i++)
        {
            var (id, path, start, text) = expected[i];
            if (actual[i].Id != id || actual[i].Path != path || actual[i].Start != start || actual[i].Text != text)
                throw new XunitException($"Expected {{|{id}:{text}|}} at {start} in {path}; reported:\n{report}");
            Assert.Equal(messages[i], actual[i].Message);
        }
        return outcome;
    }

    private static (string Id, string Path, int Start, string Text, string Message) Describe(Diagnostic diagnostic, Dictionary<string, string> texts)
    {
        string path = diagnostic.Location.GetLineSpan().Path ?? "";
        var span = diagnostic.Location.SourceSpan;
        string text = texts.TryGetValue(path, out var source) && span.End <= source.Length ? source.Substring(span.Start, span.Length) : "";
        return (diagnostic.Id, path, span.Start, text, diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
