using System;
using System.IO;
using System.Linq;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Data;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// A small random IDX set (160 train, 40 test images of 28×28, labels i mod 10) and an fmnist-tiny checkpoint trained on
/// it for a few steps through the real CLI, shared by the tests of the commands that read checkpoints.
/// </summary>
public sealed class SmallTrainedRun : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public SmallTrainedRun()
    {
        Data = Path.Combine(_directory.Path, "data");
        Directory.CreateDirectory(Data);
        var random = new Random(20261207);
        IdxTestFiles.WriteRandomSplit(Data, "train", TrainImages, random);
        IdxTestFiles.WriteRandomSplit(Data, "t10k", TestImages, random);
        string run = Path.Combine(_directory.Path, "run");
        var (code, _, error) = CliRun.Dino(
        [
            "train", "--model", "fmnist-tiny", "--data", Data, "--epochs", "1", "--batch", "32", "--local-crops", "2", "--max-steps", "3",
            "--threads", "2", "--workers", "2", "--device", "cpu", "--no-init-eval", "--out", run,
        ]);
        Assert.True(code == 0, error);
        Checkpoint = Path.Combine(run, "checkpoint.safetensors");
    }

    public const int TrainImages = 160, TestImages = 40;

    /// <summary>The IDX folder.</summary>
    public string Data { get; }

    /// <summary>The trained checkpoint.</summary>
    public string Checkpoint { get; }

    /// <summary>A new empty folder for one test's outputs.</summary>
    public string NewFolder(string name)
    {
        string path = Path.Combine(_directory.Path, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => _directory.Dispose();
}
