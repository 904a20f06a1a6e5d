using System;
using System.IO;
using System.Linq;
using DinoCompiled.Cli;
using DinoCompiled.Retrieval;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary><c>dino retrieve</c>: an image of the gallery finds itself first; the cache is reused, and rebuilt when a file changes.</summary>
public sealed class RetrieveCommandTests : IClassFixture<SmallTrainedRun>
{
    private readonly SmallTrainedRun _run;

    public RetrieveCommandTests(SmallTrainedRun run) => _run = run;

    [Fact]
    public void AGalleryImageFindsItselfFirstAndTheCacheIsReusedUntilAFileChanges()
    {
        string gallery = Path.Combine(_run.NewFolder("retrieve"), "gallery");
        Directory.CreateDirectory(gallery);
        var random = new Random(8);
        for (int i = 0; i < 12; i++) WriteImage(Path.Combine(gallery, $"g{i:00}.png"), random);
        string query = Path.Combine(gallery, "g05.png");
        string sheet = Path.Combine(Path.GetDirectoryName(gallery)!, "sheet.png");

        var (code, output, error) = CliRun.Dino(["retrieve", "--checkpoint", _run.Checkpoint, "--gallery", gallery, "--query", query, "--top", "4", "--out", sheet]);
        Assert.True(code == 0, error);
        Assert.Contains("the 4 nearest of 12 gallery images", output);
        Assert.Contains("written to " + RetrieveCommand.DefaultCachePath(gallery), output);
        var lines = output.Split('\n');
        Assert.Matches(@"^\s+1\s+1\.0000\s+.*g05\.png$", lines[1]);
        // 5 tiles of 112 pixels (crop 28 at scale 4) in a row.
        Assert.Equal((5 * 112 + 6 * 4, 10 + 112 + 8), AttentionCommandTests.PngSize(sheet));

        (code, output, error) = CliRun.Dino(["retrieve", "--checkpoint", _run.Checkpoint, "--gallery", gallery, "--query", query, "--top", "4"]);
        Assert.True(code == 0, error);
        Assert.Contains("gallery features from ", output);

        // A changed file (new bytes, new time) is a new gallery: the features are computed again.
        WriteImage(Path.Combine(gallery, "g07.png"), random);
        File.SetLastWriteTimeUtc(Path.Combine(gallery, "g07.png"), DateTime.UtcNow.AddMinutes(1));
        (code, output, error) = CliRun.Dino(["retrieve", "--checkpoint", _run.Checkpoint, "--gallery", gallery, "--query", query, "--top", "4"]);
        Assert.True(code == 0, error);
        Assert.Contains("gallery features written to ", output);
    }

    [Fact]
    public void RankingIsByCosineWithTiesInGalleryOrder()
    {
        float[] gallery = [1, 0, 0, 1, 2, 2, -1, 0, 4, 4];
        var nearest = CosineRanking.Nearest([1, 1], gallery, 2, 3);
        Assert.Equal([2, 4, 0], nearest.Select(n => n.Index));
        Assert.Equal(1.0, nearest[0].Similarity, 12);
        Assert.Equal(Math.Sqrt(0.5), nearest[2].Similarity, 12);
        Assert.Equal(5, CosineRanking.Nearest([1, 1], gallery, 2, 99).Length);
    }

    private static void WriteImage(string path, Random random)
    {
        using var image = new Image<L8>(28, 28);
        image.ProcessPixelRows(rows => { for (int y = 0; y < 28; y++) foreach (ref var p in rows.GetRowSpan(y)) p = new L8((byte)random.Next(256)); });
        image.SaveAsPng(path);
    }
}
