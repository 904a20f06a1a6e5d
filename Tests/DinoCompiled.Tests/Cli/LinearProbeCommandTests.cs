using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Evaluation;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary><c>dino eval linear</c> through the CLI: the sweep, top-1/top-5, and the saved classifier.</summary>
public sealed class LinearProbeCommandTests : IClassFixture<SmallTrainedRun>
{
    private readonly SmallTrainedRun _run;

    public LinearProbeCommandTests(SmallTrainedRun run) => _run = run;

    [Fact]
    public void TheProbeReportsItsSweepAndAccuracyAndSavesTheClassifier()
    {
        string path = Path.Combine(_run.NewFolder("probe"), "probe.safetensors");
        var (code, output, error) = CliRun.Dino(["eval", "linear", "--checkpoint", _run.Checkpoint, "--data", _run.Data, "--last-blocks", "2", "--avgpool",
            "--epochs", "3", "--lrs", "0.1,1", "--threads", "2", "--out", path]);
        Assert.True(code == 0, error);
        Assert.Contains("CLS of the last 2 block(s) + average-pooled patches, 384 features", output);
        Assert.Matches(@"lr 0\.1 +validation top-1 \d+\.\d\d %", output);
        Assert.Matches(@"lr 1 +validation top-1 \d+\.\d\d %", output);
        Assert.Matches(@"linear probe \(sgd, lr (0\.1|1), 3 epochs, trained in .* s\): top-1 \d+\.\d\d %, top-5 \d+\.\d\d %", output);
        var classifier = LinearClassifier.Load(path);
        Assert.Equal((10, 384), (classifier.Classes, classifier.Dimension));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("fmnist-tiny", file.Metadata["model"]);
    }

    [Theory]
    [InlineData("--last-blocks", "5", "dino: eval linear: --last-blocks takes 1 to 4 for fmnist-tiny, not 5")]
    [InlineData("--optimizer", "lbfgs", "dino: eval linear: --optimizer takes 'sgd' or 'adamw', not 'lbfgs'")]
    [InlineData("--lrs", "0.1,x", "dino: eval linear: --lrs takes positive numbers, comma-separated, not '0.1,x'")]
    public void BadOptionsAreOneLine(string option, string value, string message)
    {
        var (code, _, error) = CliRun.Dino(["eval", "linear", "--checkpoint", _run.Checkpoint, "--data", _run.Data, option, value]);
        Assert.Equal(2, code);
        Assert.Equal(message + "\n", error);
    }
}
