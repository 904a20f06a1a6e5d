using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DinoCompiled.Evaluation;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// The label-free monitor in a run: every evaluation records RankMe in metrics.jsonl and prints it, and the value is
/// RankMe of the checkpoint's teacher features (<c>dino features</c>) over the training images.
/// </summary>
public sealed class TrainMonitorsTests : IClassFixture<SmallTrainedRun>
{
    private readonly SmallTrainedRun _run;

    public TrainMonitorsTests(SmallTrainedRun run) => _run = run;

    [Fact]
    public void EachEvaluationRecordsTheRankMeOfTheTeachersFeatures()
    {
        string folder = _run.NewFolder("monitors");
        var (code, output, error) = CliRun.Dino(
        [
            "train", "--model", "fmnist-tiny", "--data", _run.Data, "--epochs", "1", "--batch", "32", "--local-crops", "2",
            "--threads", "2", "--workers", "2", "--device", "cpu", "--out", folder,
        ]);
        Assert.True(code == 0, error);
        Assert.Matches(@"initialization: k-NN top-1 \d+\.\d+ %, RankMe \d+\.\d", output);
        Assert.Matches(@"epoch   1: .* RankMe \d+\.\d", output);

        var epochs = File.ReadAllLines(Path.Combine(folder, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement).Where(e => e.GetProperty("kind").GetString() == "epoch").ToList();
        Assert.Equal(2, epochs.Count);
        double last = epochs[1].GetProperty("rankme").GetDouble();
        Assert.InRange(epochs[0].GetProperty("rankme").GetDouble(), 1, 128);

        // The epoch's evaluation reads the teacher that the epoch's checkpoint holds; 160 images < the sample, so all of them.
        string npy = Path.Combine(folder, "train.npy");
        var (featuresCode, _, featuresError) = CliRun.Dino(["features", "--checkpoint", Path.Combine(folder, "checkpoint.safetensors"), "--data", _run.Data, "--split", "train", "--out", npy]);
        Assert.True(featuresCode == 0, featuresError);
        var (features, shape) = FeaturesCommandTests.ReadNpy(npy);
        double expected = RankMe.Compute(features, (int)shape[0], (int)shape[1]);
        Assert.True(Math.Abs(last - expected) < 1e-9 * expected, $"metrics say {last}, the checkpoint's features give {expected}");
    }
}
