using System.Globalization;
using System.Linq;
using Xunit;
using Xunit.Sdk;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>
/// Runs the generator on a marked declaration and checks that it reports exactly the marked diagnostics, each with the
/// given message, at the marked text. A failure lists what was reported, ready to paste into the test.
/// </summary>
internal static class DiagnosticAssert
{
    public static void Reports(string markedDeclaration, params string[] messages)
    {
        var (body, expected) = DiagnosticMarkup.Parse(markedDeclaration);
        string source = GeneratorHarness.WithUsings(body);
        int prefix = source.Length - body.Length;
        var outcome = GeneratorHarness.Run(new[] { ("Model.cs", source) });

        var actual = outcome.GeneratorDiagnostics
            .Where(d => d.Id.StartsWith("DINO", System.StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => (d.Id, Start: d.Location.SourceSpan.Start - prefix, Text: d.Location.Kind == Microsoft.CodeAnalysis.LocationKind.None ? "" : source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length),
                Message: d.GetMessage(CultureInfo.InvariantCulture)))
            .ToList();

        string report = string.Join("\n", actual.Select(d => $"  {{|{d.Id}:{d.Text}|}} \"{d.Message}\""));
        if (actual.Count != expected.Count)
            throw new XunitException($"Expected {expected.Count} DINO diagnostic(s), got {actual.Count}:\n{report}");
        Assert.Equal(expected.Count, messages.Length);
        for (int i = 0; i < expected.Count; i++)
        {
            var (id, start, text) = expected.OrderBy(e => e.Start).ElementAt(i);
            if (actual[i].Id != id || actual[i].Start != start || actual[i].Text != text)
                throw new XunitException($"Expected {{|{id}:{text}|}} at {start}; reported:\n{report}");
            Assert.Equal(messages[i], actual[i].Message);
        }
        if (outcome.GeneratorDiagnostics.Any(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            Assert.True(outcome.Sources.All(s => s.HintName.StartsWith("DinoCompiled.Generated", System.StringComparison.Ordinal)),
                "An invalid declaration must not produce model code.");
    }
}
