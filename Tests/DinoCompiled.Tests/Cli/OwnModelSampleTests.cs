using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Infrastructure;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// A user's own compiled model (Samples/MyModels: MyNet, 3 channels, 32 pixels, patch 4) on a folder of a few hundred
/// unlabeled PNG and JPEG images of mixed sizes and modes: trained by the sample's program as its README says, and by
/// <c>dino train --models MyModels.dll</c>, each reporting RankMe and the collapse monitors.
/// </summary>
public sealed class OwnModelSampleTests : IDisposable
{
    private const int Images = 240; // 7 full batches of 32
    private readonly TemporaryDirectory _directory = new();
    private readonly string _photos;

    // MyNet's parameters, from its declaration: D = 96, 4 blocks of MLP ratio 4, 64 patches of 4x4x3, head 512/128/4096.
    private const long ExpectedBackbone =
        (3 * 4 * 4 * 96 + 96) + 96 + (64 + 1) * 96                           // patch embedding, class token, position embedding
        + 4 * (2 * 96 + (96 * 288 + 288) + (96 * 96 + 96) + 2 * 96 + (96 * 384 + 384) + (384 * 96 + 96)) // blocks
        + 2 * 96;                                                             // final norm

    private const long ExpectedParameters = ExpectedBackbone
        + (96 * 512 + 512) + (512 * 512 + 512) + (512 * 128 + 128)           // head MLP
        + 128 * 4096 + 4096;                                                  // weight-normed last layer: direction and gain

    public OwnModelSampleTests()
    {
        _photos = _directory.File("photos");
        var random = new Random(20261207);
        for (int i = 0; i < Images; i++)
        {
            string folder = Path.Combine(_photos, "album" + i % 4);
            Directory.CreateDirectory(folder);
            int width = random.Next(20, 90), height = random.Next(20, 90);
            using var image = new Image<Rgba32>(width, height);
            var tint = new Rgba32((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(128, 256));
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                        row[x] = (x / 6 + y / 6) % 2 == 0 ? tint : new Rgba32((byte)(x * 4), (byte)(y * 4), (byte)random.Next(256), 255);
                }
            });
            // Every mode a photo folder holds: RGB, RGBA, gray, palette and 16-bit PNGs; colour and gray JPEGs.
            string name = Path.Combine(folder, $"img{i:D3}");
            switch (i % 7)
            {
                case 0: image.SaveAsPng(name + ".png", new PngEncoder { ColorType = PngColorType.Rgb }); break;
                case 1: image.SaveAsPng(name + ".png", new PngEncoder { ColorType = PngColorType.RgbWithAlpha }); break;
                case 2: image.SaveAsPng(name + ".png", new PngEncoder { ColorType = PngColorType.Grayscale }); break;
                case 3: image.SaveAsPng(name + ".png", new PngEncoder { ColorType = PngColorType.Palette }); break;
                case 4: image.SaveAsPng(name + ".png", new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 }); break;
                case 5: image.SaveAsJpeg(name + ".jpg", new JpegEncoder { Quality = 85 }); break;
                default: image.SaveAsJpeg(name + ".jpeg", new JpegEncoder { ColorType = JpegColorType.Luminance }); break;
            }
        }
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Samples/MyModels' build output, beside this test assembly's configuration (Release or Debug).</summary>
    private static string SampleAssembly
    {
        get
        {
            string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            string path = Path.Combine(RepositoryPaths.Root, "Samples", "MyModels", "bin", configuration, "net10.0", "MyModels.dll");
            Assert.True(File.Exists(path), $"{path} is missing: the test project builds Samples/MyModels first");
            return path;
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task TheSampleTrainsItsOwnModelAsItsReadmeSays()
    {
        string workingDirectory = _directory.File("sample");
        Directory.CreateDirectory(workingDirectory);
        // README: dotnet run -c Release --project Samples/MyModels -- IMAGE_FOLDER [EPOCHS]; `dotnet run` is `dotnet MyModels.dll` once built.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string argument in new[] { SampleAssembly, _photos, "1" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = (await process.StandardOutput.ReadToEndAsync()).Replace("\r\n", "\n");
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, output + await error);
        Assert.Contains($"my-net: {ExpectedParameters:N0} parameters; {_photos} (unlabeled image folder: {Images} images; normalization mean [", output);
        Assert.Matches(@"\ninitialization: RankMe \d+\.\d\n", output);
        Assert.Matches(@"\nepoch 1/1: loss \d+\.\d{4}, RankMe \d+\.\d", output);
        Assert.Matches(@"\ndone at step 7: RankMe \d+\.\d; checkpoint runs/my-net/checkpoint\.safetensors\n$", output);
        Assert.True(File.Exists(Path.Combine(workingDirectory, "runs", "my-net", "checkpoint.safetensors")));
    }

    [Fact]
    public void DinoTrainsAModelOfTheUsersAssembly()
    {
        string run = _directory.File("cli-run");
        var (code, output, error) = CliRun.Dino(
        [
            "train", "--models", SampleAssembly, "--model", "my-net", "--data", _photos, "--epochs", "1", "--batch", "32", "--local-crops", "2",
            "--threads", "2", "--device", "cpu", "--out", run,
        ]);
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.StartsWith($"dino train: my-net on {_photos} (unlabeled image folder: {Images} images; ", output);
        Assert.Contains("  1 epochs x 7 steps of 32 images (2x32 + 2x16 crops)", output);
        Assert.Matches(@"\n  initialization: RankMe \d+\.\d\n", output);
        // The collapse monitors: the teacher's entropy against ln K and the teacher-student KL, beside RankMe.
        Assert.Matches(@"\n  epoch   1: loss \d+\.\d{4} \(ln K 8\.318\), teacher entropy \d+\.\d{3}, KL \d+\.\d{3}, RankMe \d+\.\d, ", output);
        using var checkpoint = SafetensorsFile.Open(Path.Combine(run, "checkpoint.safetensors"));
        Assert.Equal("my-net", checkpoint.Metadata[TrainingCheckpoint.ModelMetadataKey]);

        // The commands that read a checkpoint find its model in the same assembly: an ONNX export and an attention sheet.
        string checkpointPath = Path.Combine(run, "checkpoint.safetensors");
        string image = Directory.EnumerateFiles(_photos, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var (exported, _, exportError) = CliRun.Dino(["export", "onnx", "--checkpoint", checkpointPath, "--models", SampleAssembly, "--out", _directory.File("my-net.onnx")]);
        Assert.True(exported == 0, exportError);
        Assert.True(new FileInfo(_directory.File("my-net.onnx")).Length >= ExpectedBackbone * sizeof(float), "the ONNX file holds the backbone's weights");
        var (drawn, _, drawError) = CliRun.Dino(["attention", "--checkpoint", checkpointPath, "--models", SampleAssembly, "--image", image, "--out", _directory.File("maps.png")]);
        Assert.True(drawn == 0, drawError);
        Assert.True(File.Exists(_directory.File("maps.png")));
        var (lost, _, lostError) = CliRun.Dino(["export", "backbone", "--checkpoint", checkpointPath, "--out", _directory.File("b.safetensors")]);
        Assert.Equal(2, lost);
        Assert.Equal($"dino: export backbone: {checkpointPath} is a checkpoint of 'my-net', which is not in the zoo; give the assembly that compiles it with --models DLL\n", lostError);

        // Without --model, the assembly's only model; a name it lacks lists what it holds.
        var (unknown, _, unknownError) = CliRun.Dino(["train", "--models", SampleAssembly, "--model", "my-other-net", "--data", _photos, "--out", run]);
        Assert.Equal(2, unknown);
        Assert.Equal($"dino: unknown model 'my-other-net' in {SampleAssembly}; it holds: my-net\n", unknownError);
    }

    [Fact]
    public void AFileWithoutCompiledModelsIsOneLineNamingIt()
    {
        string notAssembly = Directory.EnumerateFiles(_photos, "*.png", SearchOption.AllDirectories).First();
        var (code, _, error) = CliRun.Dino(["train", "--models", notAssembly, "--data", _photos, "--out", _directory.File("x")]);
        Assert.Equal(2, code);
        Assert.Equal($"dino: --models: {notAssembly} is not a .NET assembly\n", error);

        // An assembly without the generator's catalog: the test framework's own.
        string plain = typeof(FactAttribute).Assembly.Location;
        (code, _, error) = CliRun.Dino(["train", "--models", plain, "--data", _photos, "--out", _directory.File("x")]);
        Assert.Equal(2, code);
        Assert.StartsWith($"dino: --models: {plain} holds no compiled models (no DinoCompiled.Generated.DinoModelCatalog", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
