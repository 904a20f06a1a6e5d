using System;
using System.Buffers.Binary;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary><c>dino attention</c> through the CLI: the PNG exists with the documented size, and bad input is one line.</summary>
public sealed class AttentionCommandTests : IClassFixture<SmallTrainedRun>
{
    private readonly SmallTrainedRun _run;

    public AttentionCommandTests(SmallTrainedRun run) => _run = run;

    [Fact]
    public void AFolderOfMixedImagesGivesOneRowPairPerImageAtTheDocumentedSize()
    {
        string images = _run.NewFolder("images");
        var random = new Random(3);
        using (var gray = new Image<L8>(28, 28))
        {
            gray.ProcessPixelRows(rows => { for (int y = 0; y < 28; y++) foreach (ref var p in rows.GetRowSpan(y)) p = new L8((byte)random.Next(256)); });
            gray.SaveAsPng(Path.Combine(images, "a.png"));
        }
        using (var rgb = new Image<Rgb24>(40, 30))
        {
            rgb.ProcessPixelRows(rows => { for (int y = 0; y < 30; y++) foreach (ref var p in rows.GetRowSpan(y)) p = new Rgb24((byte)random.Next(256), 9, 200); });
            Directory.CreateDirectory(Path.Combine(images, "sub"));
            rgb.SaveAsJpeg(Path.Combine(images, "sub", "b.jpg"));
        }
        string output = Path.Combine(_run.NewFolder("attention"), "maps.png");
        var (code, text, error) = CliRun.Dino(["attention", "--checkpoint", _run.Checkpoint, "--images", images, "--threshold", "0.6", "--out", output]);
        Assert.True(code == 0, error);
        // fmnist-tiny: 4 heads, crop 28 drawn at scale 4 (112-pixel tiles); 6 columns; 2 images x 2 rows.
        const int tile = 112, width = 6 * tile + 7 * 4, height = 2 * 2 * (10 + tile + 4) + 4;
        Assert.Contains($"{width} x {height} PNG, block 3's CLS attention of 4 heads", text);
        var (w, h) = PngSize(output);
        Assert.Equal((width, height), (w, h));

        (code, text, error) = CliRun.Dino(["attention", "--checkpoint", _run.Checkpoint, "--image", Path.Combine(images, "a.png"), "--block", "0", "--out", output]);
        Assert.True(code == 0, error);
        Assert.Equal((width, 10 + tile + 4 + 4), PngSize(output));
    }

    [Fact]
    public void PcaOfAFolderHasTheDocumentedSize()
    {
        string images = _run.NewFolder("pca-images");
        var random = new Random(4);
        for (int i = 0; i < 5; i++)
        {
            using var gray = new Image<L8>(28, 28);
            gray.ProcessPixelRows(rows => { for (int y = 0; y < 28; y++) foreach (ref var p in rows.GetRowSpan(y)) p = new L8((byte)(y > 6 && y < 22 ? random.Next(128, 256) : 0)); });
            gray.SaveAsPng(Path.Combine(images, $"i{i}.png"));
        }
        string output = Path.Combine(_run.NewFolder("pca"), "pca.png");
        var (code, text, error) = CliRun.Dino(["pca", "--checkpoint", _run.Checkpoint, "--images", images, "--out", output]);
        Assert.True(code == 0, error);
        // 5 images, 4 per row: 2 rows; each image a pair of 112-pixel tiles.
        const int tile = 112, width = 4 * 2 * tile + 9 * 4, height = 2 * (10 + tile + 4) + 4;
        Assert.Contains($"{width} x {height} PNG, the first 3 principal components of 5 image(s)", text);
        Assert.Equal((width, height), PngSize(output));
    }

    [Theory]
    [InlineData("--threshold", "1.5", "dino: attention: --threshold is a share of the attention mass, above 0 and at most 1, not 1.5")]
    [InlineData("--block", "4", "dino: attention: --block takes 0 to 3 (or -1 for the last), not 4")]
    [InlineData("--mean", "0.5,0.5", "dino: attention: give --mean and --std together")]
    public void BadOptionsAreOneLine(string option, string value, string message)
    {
        string image = Path.Combine(_run.NewFolder("one"), "a.png");
        using (var gray = new Image<L8>(28, 28)) gray.SaveAsPng(image);
        string output = Path.Combine(_run.NewFolder("bad"), "maps.png");
        var (code, _, error) = CliRun.Dino(["attention", "--checkpoint", _run.Checkpoint, "--image", image, option, value, "--out", output]);
        Assert.Equal(2, code);
        Assert.Equal(message + "\n", error);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("many")]
    [InlineData("NaN")]
    public void APcaThresholdThatIsNotAFiniteNumberIsOneLine(string value)
    {
        string image = Path.Combine(_run.NewFolder("one"), "a.png");
        using (var gray = new Image<L8>(28, 28)) gray.SaveAsPng(image);
        string output = Path.Combine(_run.NewFolder("bad"), "pca.png");
        var (code, _, error) = CliRun.Dino(["pca", "--checkpoint", _run.Checkpoint, "--image", image, "--threshold", value, "--out", output]);
        Assert.Equal(2, code);
        Assert.Equal($"dino: pca: --threshold takes a number (standard deviations of the first component), not '{value}'\n", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void NeitherOrBothImageOptionsIsOneLine()
    {
        string output = Path.Combine(_run.NewFolder("none"), "maps.png");
        var (code, _, error) = CliRun.Dino(["attention", "--checkpoint", _run.Checkpoint, "--out", output]);
        Assert.Equal(2, code);
        Assert.Equal("dino: attention: give one of --image FILE or --images DIR\n", error);
    }

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    internal static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
