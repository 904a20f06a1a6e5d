using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// Training on a plain folder of unlabeled images: the images are found recursively, the normalization is measured,
/// each evaluation reports RankMe and no k-NN (null in metrics.jsonl) unless <c>--eval-data</c> gives labels, and the
/// commands that need labels say so in one line.
/// </summary>
public sealed class UnlabeledTrainingTests : IClassFixture<SmallTrainedRun>
{
    private const int Images = 48;
    private readonly SmallTrainedRun _run;
    private readonly string _photos;

    public UnlabeledTrainingTests(SmallTrainedRun run)
    {
        _run = run;
        _photos = run.NewFolder("photos");
        var random = new Random(20261207);
        for (int i = 0; i < Images; i++)
        {
            // Nested folders of any depth, and images larger than the model's 28 pixels (the crops resize them).
            string folder = Path.Combine(_photos, "trip" + i % 3, i % 2 == 0 ? "" : "day" + i % 4);
            Directory.CreateDirectory(folder);
            using var image = new Image<L8>(40, 36);
            byte level = (byte)random.Next(40, 200);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < 36; y++)
                    foreach (ref var p in rows.GetRowSpan(y)) p = new L8((byte)Math.Clamp(level + random.Next(-40, 40), 0, 255));
            });
            image.SaveAsPng(Path.Combine(folder, $"img{i:D2}.png"));
        }
    }

    [Fact]
    public void AFolderOfUnlabeledImagesTrainsWithRankMeAndWithoutKnn()
    {
        string folder = _run.NewFolder("unlabeled-run");
        var (code, output, error) = CliRun.Dino(
        [
            "train", "--model", "fmnist-tiny", "--data", _photos, "--epochs", "1", "--batch", "16", "--local-crops", "2",
            "--threads", "2", "--workers", "2", "--device", "cpu", "--out", folder,
        ]);
        Assert.True(code == 0, error);
        Assert.Contains($"{_photos} (unlabeled image folder: {Images} images; normalization mean [", output);
        Assert.Matches(@"initialization: RankMe \d+\.\d", output);
        Assert.DoesNotContain("k-NN top-1 ", output);
        Assert.Matches(@"RankMe: \d+\.\d at initialization, \d+\.\d after 1 epochs \(no labelled data, so no k-NN; --eval-data adds it\)", output);
        var epochs = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == "epoch").ToList();
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("knn_top1").ValueKind));
        Assert.All(epochs, e => Assert.InRange(e.GetProperty("rankme").GetDouble(), 1, 128));
        Assert.True(new FileInfo(Path.Combine(folder, "training.png")).Length > 0);
    }

    [Fact]
    public void EvalDataAddsTheKnnOfALabelledSet()
    {
        string folder = _run.NewFolder("eval-data-run");
        var (code, output, error) = CliRun.Dino(
        [
            "train", "--model", "fmnist-tiny", "--data", _photos, "--eval-data", _run.Data, "--epochs", "1", "--batch", "16", "--local-crops", "2",
            "--threads", "2", "--workers", "2", "--device", "cpu", "--out", folder,
        ]);
        Assert.True(code == 0, error);
        Assert.Contains($"; k-NN on {_run.Data} (IDX: ", output);
        Assert.Matches(@"initialization: k-NN top-1 \d+\.\d+ %, RankMe", output);
    }

    [Theory]
    [InlineData("eval", "knn")]
    [InlineData("eval", "linear")]
    public void TheEvaluationsNeedLabelsAndSaySo(string command, string evaluation)
    {
        var (code, _, error) = CliRun.Dino([command, evaluation, "--checkpoint", _run.Checkpoint, "--data", _photos]);
        Assert.Equal(2, code);
        Assert.Contains("is a folder of unlabeled images", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void EvalDataMustBeLabelled()
    {
        string folder = _run.NewFolder("bad-eval-data");
        var (code, _, error) = CliRun.Dino(["train", "--data", _run.Data, "--eval-data", _photos, "--out", folder, "--device", "cpu"]);
        Assert.Equal(2, code);
        Assert.Equal($"dino: --eval-data: {_photos}: a folder of unlabeled images; the k-NN evaluation needs labelled data (IDX files, or train/ and val/ class folders)\n", error);
    }

    /// <summary>40 × 36 = 1,440 pixels each: over a 0.001-megapixel limit, the first one stops the run with its path.</summary>
    [Fact]
    public void AnImageOverThePixelLimitStopsTheRunWithItsPath()
    {
        string folder = _run.NewFolder("limit-run");
        var (code, _, error) = CliRun.Dino(["train", "--data", _photos, "--max-megapixels", "0.001", "--out", folder, "--device", "cpu"]);
        Assert.Equal(2, code);
        Assert.Matches(@"^dino: .*img\d\d\.png: 40 x 36 is 0\.00144 megapixels, over the limit of 0\.001 \(--max-megapixels\)\n$", error);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void FeaturesOfAnUnlabeledFolderAreItsOneSplit()
    {
        string path = Path.Combine(_run.NewFolder("features"), "photos.npy");
        var (code, _, error) = CliRun.Dino(["features", "--checkpoint", _run.Checkpoint, "--data", _photos, "--out", path]);
        Assert.True(code == 0, error);
        Assert.Equal(new long[] { Images, 128 }, FeaturesCommandTests.ReadNpy(path).Shape);
        var (testCode, _, testError) = CliRun.Dino(["features", "--checkpoint", _run.Checkpoint, "--data", _photos, "--split", "test", "--out", path]);
        Assert.Equal(2, testCode);
        Assert.Contains("is a folder of unlabeled images, which has one split: train", testError);
    }
}
