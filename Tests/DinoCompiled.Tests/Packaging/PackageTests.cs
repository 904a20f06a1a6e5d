using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using DinoCompiled.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Packaging;

/// <summary>
/// The packages as a user gets them (docs/PACKAGE.md): DinoCompiled holds the runtime, its docs and the generator as an
/// analyzer; a new project outside the repository that references it, and declares its own model, builds with the
/// generator running and trains; DinoCompiled.Tool installs as the <c>dino</c> command. These tests need the .NET SDK
/// and nuget.org (SixLabors.ImageSharp); they fail, not skip, without them.
/// </summary>
public sealed class PackageTests : IClassFixture<PackedFeed>
{
    private readonly PackedFeed _feed;
    private readonly ITestOutputHelper _log;

    public PackageTests(PackedFeed feed, ITestOutputHelper log)
    {
        _feed = feed;
        _log = log;
    }

    [Fact]
    public async Task ThePackageHoldsTheRuntimeItsDocsAndTheGeneratorAsAnAnalyzer()
    {
        await _feed.Pack(_log);
        Assert.Equal(
            new[] { $"DinoCompiled.{PackedFeed.Version}.nupkg", $"DinoCompiled.Tool.{PackedFeed.Version}.nupkg" },
            Directory.GetFiles(_feed.Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());

        using var package = ZipFile.OpenRead(_feed.Package("DinoCompiled"));
        var files = package.Entries.Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal) && !name.StartsWith("package/", StringComparison.Ordinal) && name != "[Content_Types].xml")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[]
        {
            "analyzers/dotnet/cs/DinoCompiled.Generator.dll",
            "DinoCompiled.nuspec",
            "lib/net10.0/DinoCompiled.Runtime.dll",
            "lib/net10.0/DinoCompiled.Runtime.xml",
            "README.md",
        }.Order(StringComparer.Ordinal), files);

        // One dependency, ImageSharp at the solution's pinned version: the generator is a file here, not a dependency.
        XDocument nuspec;
        using (var stream = package.GetEntry("DinoCompiled.nuspec")!.Open()) nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var dependencies = nuspec.Descendants(ns + "dependency").Select(d => $"{d.Attribute("id")?.Value} {d.Attribute("version")?.Value}").ToArray();
        Assert.Equal(new[] { "SixLabors.ImageSharp " + PinnedVersion("SixLabors.ImageSharp") }, dependencies);
        Assert.Equal(PackedFeed.Version, nuspec.Descendants(ns + "version").Single().Value);
        Assert.Equal("README.md", nuspec.Descendants(ns + "readme").Single().Value);
    }

    [Fact]
    public async Task AProjectOutsideTheRepositoryCompilesItsOwnModelAndTrainsThreeSteps()
    {
        await _feed.Pack(_log);
        string project = Path.Combine(_feed.Root, "consumer");
        AssertOutsideAnyBuildConfiguration(project);
        ConsumerProject.Write(project, _feed.Feed, PackedFeed.Version);

        string build = await DotnetCli.Succeed(_log, project, _feed.PackagesFolder, "build", "-c", "Release");
        var warnings = Regex.Matches(build, @"warning (CS|DINO)\d+[^\r\n]*").Select(m => m.Value).Distinct().ToArray();
        Assert.True(warnings.Length == 0, "The generated code compiles with warnings in a user's project:\n" + string.Join('\n', warnings));
        Assert.True(Directory.Exists(Path.Combine(_feed.PackagesFolder, "dinocompiled", PackedFeed.Version)),
            "DinoCompiled was not restored into the test's own packages folder, so a cached copy may have been used.");
        string output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "DinoCompiled.Runtime.dll")), "The runtime is not in the build output.");
        Assert.False(File.Exists(Path.Combine(output, "DinoCompiled.Generator.dll")), "The generator became a runtime reference of the user's project.");

        // Eight photos of mixed sizes for its three steps of two images.
        string photos = Path.Combine(project, "photos");
        Directory.CreateDirectory(photos);
        for (int i = 0; i < 8; i++)
        {
            using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(33 + 7 * i, 40 - 2 * i);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++) row[x] = new SixLabors.ImageSharp.PixelFormats.Rgb24((byte)(x * 7 + i), (byte)(y * 5), (byte)(x * y + 31 * i));
                }
            });
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, Path.Combine(photos, $"photo{i}.png"));
        }
        string run = await DotnetCli.Succeed(_log, project, _feed.PackagesFolder, "run", "-c", "Release", "--no-build", "--", photos);

        // The model's parameters, counted by hand from its declaration (ConsumerProject.Model). Only the generator can
        // have produced the printed counts: without it the class has no Description and the program does not compile.
        const long C = 3, Image = 32, Patch = 4, D = 64, Depth = 2, Mlp = 4 * D, Hidden = 128, Bottleneck = 32, K = 256;
        const long Tokens = Image / Patch * (Image / Patch);  // 64 patches
        const long PatchEmbed = D * (C * Patch * Patch) + D;  // proj weight [64, 3·4·4] + bias = 3,136
        const long ClassToken = D;                             // 64
        const long PositionEmbed = (Tokens + 1) * D;           // [65, 64] = 4,160
        const long Block = 2 * D                               // norm1 weight + bias
            + D * 3 * D + 3 * D                                // attn.qkv [192, 64] + bias
            + D * D + D                                        // attn.proj
            + 2 * D                                            // norm2
            + D * Mlp + Mlp                                    // mlp.fc1 [256, 64] + bias
            + Mlp * D + D;                                     // mlp.fc2 [64, 256] + bias: 49,984 a block
        const long FinalNorm = 2 * D;                          // 128
        const long Backbone = PatchEmbed + ClassToken + PositionEmbed + Depth * Block + FinalNorm;  // 107,456
        const long Head = D * Hidden + Hidden                  // head.mlp.0
            + Hidden * Hidden + Hidden                         // head.mlp.2
            + Hidden * Bottleneck + Bottleneck                 // head.mlp.4
            + Bottleneck * K                                   // head.last_layer.weight_v (no bias)
            + K;                                               // head.last_layer.weight_g: 37,408
        Assert.Contains("model tiny-rgb\n", run.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"parameters backbone {Backbone} head {Head} total {Backbone + Head} generated {Backbone + Head}\n", run.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var steps = Regex.Matches(run, @"^step (\d+) loss (\S+)\r?$", RegexOptions.Multiline);
        Assert.Equal(new[] { "0", "1", "2" }, steps.Select(m => m.Groups[1].Value).ToArray());
        foreach (Match step in steps)
        {
            double loss = double.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(loss) && loss > 0, $"step {step.Groups[1].Value}: loss {loss}");
        }
        // MaxSteps stops the run inside its epoch of four steps, with a checkpoint to resume from.
        Assert.Contains("stopped at step 3: True, checkpoint True\n", run.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheToolInstallsAsTheDinoCommandAndListsTheZoo()
    {
        await _feed.Pack(_log);
        // A folder whose nuget.config clears every source: the tool can come from --add-source only.
        string work = Path.Combine(_feed.Root, "tool-install");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "nuget.config"), "<configuration><packageSources><clear /></packageSources></configuration>");
        string tools = Path.Combine(_feed.Root, "tools");

        await DotnetCli.Succeed(_log, work, _feed.PackagesFolder,
            "tool", "install", "--tool-path", tools, "--add-source", _feed.Feed, "DinoCompiled.Tool", "--version", PackedFeed.Version);
        var (code, models) = await DotnetCli.RunProgram(_log, Path.Combine(tools, OperatingSystem.IsWindows() ? "dino.exe" : "dino"), work, _feed.PackagesFolder, "models");

        Assert.True(code == 0, "dino models exited with " + code + ":\n" + models);
        Assert.Matches(new Regex(@"^fmnist-tiny +1\.7 M parameters +ViT D=128 depth 4 patch 4", RegexOptions.Multiline), models);
    }

    /// <summary>No Directory.Build.props, Directory.Packages.props or global.json of the repository (or any other) applies there.</summary>
    private static void AssertOutsideAnyBuildConfiguration(string project)
    {
        string full = Path.GetFullPath(project);
        Assert.False(full.StartsWith(RepositoryPaths.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal), full + " is inside the repository.");
        for (var dir = new DirectoryInfo(full).Parent; dir is not null; dir = dir.Parent)
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
                Assert.False(File.Exists(Path.Combine(dir.FullName, name)), $"{Path.Combine(dir.FullName, name)} would apply to the outside project.");
    }

    /// <summary>The version Directory.Packages.props pins for <paramref name="id"/>.</summary>
    private static string PinnedVersion(string id) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => p.Attribute("Include")?.Value == id).Attribute("Version")!.Value;
}
