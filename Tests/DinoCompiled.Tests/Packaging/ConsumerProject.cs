using System.IO;

namespace DinoCompiled.Tests.Packaging;

/// <summary>
/// A user's own console project, outside the repository: the csproj of <c>dotnet new console</c> plus one
/// PackageReference to DinoCompiled, a model of its own (not one of the zoo's, so the generator must compile it there),
/// and a Program that prints what the generator compiled and trains three steps on a folder of images through DinoTrainer.
/// </summary>
internal static class ConsumerProject
{
    /// <summary>The project's name, and so its assembly's.</summary>
    public const string Name = "Consumer";

    /// <summary>Writes the project into <paramref name="directory"/>, restoring DinoCompiled from <paramref name="feed"/> only.</summary>
    public static void Write(string directory, string feed, string version)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NugetConfig(feed));
        File.WriteAllText(Path.Combine(directory, Name + ".csproj"), Csproj(version));
        File.WriteAllText(Path.Combine(directory, "TinyRgb.cs"), Model);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
    }

    /// <summary>
    /// The local feed and nuget.org (for SixLabors.ImageSharp); the source mapping sends DinoCompiled to the local feed
    /// only, so that a package of that name on nuget.org could never stand in for the one just packed.
    /// </summary>
    private static string NugetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{System.Security.SecurityElement.Escape(feed)}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local">
              <package pattern="DinoCompiled" />
              <package pattern="DinoCompiled.*" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>What <c>dotnet new console</c> writes, and <c>dotnet add package DinoCompiled</c> adds; nothing else.</summary>
    private static string Csproj(string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="DinoCompiled" Version="{version}" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>
    /// 3 channels, 32×32 images in 4-pixel patches (8×8 tokens), width 64, 2 blocks of 4 heads, a head of 256 prototypes
    /// (hidden 128, bottleneck 32); global crops of 32, local crops of 16. PackageTests works out its parameter count.
    /// </summary>
    private const string Model = """
        using DinoCompiled;

        namespace Consumer;

        [DinoModel(Channels = 3, ImageSize = 32, LocalCrop = 16)]
        public partial class TinyRgb
        {
            [PatchEmbedding(Patch = 4, Dim = 64)]
            partial void Embed();

            [ClassToken, PositionEmbedding]
            partial void Tokens();

            [TransformerBlock(Heads = 4, MlpRatio = 4, Repeat = 2)]
            partial void Blocks();

            [LayerNorm]
            partial void Norm();

            [DinoHead(OutDim = 256, Hidden = 128, Bottleneck = 32)]
            partial void Head();
        }
        """;

    /// <summary>
    /// Prints the generator's constants and the parameter table's counts, then trains three steps on the images of the
    /// folder its first argument names (a stop at MaxSteps writes a checkpoint).
    /// </summary>
    private const string Program = """
        using System.Globalization;
        using Consumer;
        using DinoCompiled.Training;

        var parameters = TinyRgb.Description.Parameters;
        Console.WriteLine($"model {TinyRgb.ModelName}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parameters backbone {parameters.BackboneCount} head {parameters.HeadCount} total {parameters.TotalCount} generated {TinyRgb.BackboneParameterCount + TinyRgb.HeadParameterCount}"));

        // --- Training: three DINO steps on the folder of images given, through the training API. ---
        using var trainer = new DinoTrainer<TinyRgb>(new DinoTrainerOptions
        {
            Data = args[0], RunFolder = "run", MaxSteps = 3, EvaluateInitialization = false,
            Recipe = TrainingOptions.For(TrainingPreset.SmallData) with { Epochs = 1, BatchSize = 2, LocalCrops = 2, Seed = 1 },
        });
        var result = trainer.Run(new ImmediateProgress<TrainingProgress>(p =>
        {
            if (p.StepReport is { } report) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {report.Step} loss {report.Loss:R}"));
        }));
        Console.WriteLine($"stopped at step {result.Steps}: {result.Stopped}, checkpoint {File.Exists(result.CheckpointPath)}");
        // --- End of training. ---
        """;
}
