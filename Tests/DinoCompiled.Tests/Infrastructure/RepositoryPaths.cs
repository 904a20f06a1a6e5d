using System;
using System.IO;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>Finds the repository from the test binaries, so tests can read the zoo's sources.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "Models");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DinoCompiled.sln"))) return dir.FullName;
        throw new InvalidOperationException("DinoCompiled.sln not found above " + AppContext.BaseDirectory);
    }
}
