using System;
using System.IO;
using System.Reflection;
using System.Threading.Tasks;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Packaging;

/// <summary>
/// A temporary folder outside the repository holding a local NuGet feed with the two packages (DinoCompiled and
/// DinoCompiled.Tool), packed once for the test class, and an empty global packages folder, so that whatever the tests
/// restore comes from that feed or nuget.org, never from a cached package of the same version.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    private readonly TemporaryDirectory _root = new("dino-package-");
    private (int Code, string Output)? _packed;

    public PackedFeed()
    {
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(PackagesFolder);
    }

    /// <summary>The temporary folder everything here lives in.</summary>
    public string Root => _root.Path;

    /// <summary>The local feed: the folder the .nupkg files are packed into.</summary>
    public string Feed => _root.File("feed");

    /// <summary>The global packages folder the tests' restores use (NUGET_PACKAGES).</summary>
    public string PackagesFolder => _root.File("packages");

    /// <summary>The repository's version, which the packages carry: the runtime assembly's, without its commit suffix.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>The configuration these tests were built in; the packages hold exactly those assemblies.</summary>
    public static string Configuration { get; } =
        typeof(PackedFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The path of a package in the feed.</summary>
    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>
    /// Packs the runtime and the tool into <see cref="Feed"/> (once; a failure fails every test that needs the feed).
    /// Without a build: the test run has just built these projects in <see cref="Configuration"/>, so packing them
    /// writes nothing into their bin folders that the running tests use, and takes seconds.
    /// </summary>
    public async Task Pack(ITestOutputHelper log)
    {
        if (_packed is null)
        {
            string output = "";
            int code = 0;
            foreach (var project in new[] { Path.Combine("Runtime", "Runtime.csproj"), Path.Combine("Samples", "Dino", "Dino.csproj") })
            {
                // The repository's own packages folder: packing reads the assets its restore resolved there.
                var (projectCode, projectOutput) = await DotnetCli.Run(log, RepositoryPaths.Root, packagesFolder: null,
                    "pack", project, "-c", Configuration, "--no-build", "-o", Feed);
                output += projectOutput;
                if (projectCode != 0) { code = projectCode; break; }
            }
            _packed = (code, output);
        }
        Assert.True(_packed.Value.Code == 0, "dotnet pack failed:\n" + _packed.Value.Output);
    }

    public void Dispose() => _root.Dispose();

    private static string ReadVersion()
    {
        string informational = typeof(DinoCompiled.Training.Trainer<>).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("DinoCompiled.Runtime has no informational version.");
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
