using System.Collections.Generic;
using System.IO;
using System.Linq;
using DinoCompiled.Tests.Infrastructure;

namespace DinoCompiled.Tests.Generator;

/// <summary>The model declarations of the zoo (<c>Models/*.cs</c>), read from the repository as the build reads them.</summary>
internal static class ZooModelSources
{
    public static IReadOnlyList<(string Path, string Text)> All { get; } = Directory
        .GetFiles(RepositoryPaths.Models, "*.cs")
        .OrderBy(p => p, System.StringComparer.Ordinal)
        .Select(p => (Path: p, Text: File.ReadAllText(p)))
        .ToList();

    /// <summary>Class names of the declared models (files whose class carries a model attribute).</summary>
    public static IEnumerable<string> ModelClasses => All
        .Where(s => s.Text.Contains("[VisionTransformer(") || s.Text.Contains("[DinoModel("))
        .Select(s => Path.GetFileNameWithoutExtension(s.Path));
}
