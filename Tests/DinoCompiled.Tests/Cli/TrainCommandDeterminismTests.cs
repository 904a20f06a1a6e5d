using System;
using System.IO;
using System.Linq;
using DinoCompiled.Cli;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Data;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// <c>dino train</c> end to end, through the command line, on a small random IDX set: two runs with one seed write
/// byte-identical checkpoints, and a run stopped mid-epoch with <c>--max-steps</c> and continued with <c>--resume</c>
/// writes the same checkpoint bytes as the run that never stopped (2N steps = N + resume + N).
/// </summary>
public sealed class TrainCommandDeterminismTests : IDisposable
{
    private const int TrainImages = 200, TestImages = 60, Batch = 32;
    private readonly TemporaryDirectory _directory = new();
    private readonly string _data;

    public TrainCommandDeterminismTests()
    {
        _data = Path.Combine(_directory.Path, "data");
        Directory.CreateDirectory(_data);
        var random = new Random(20261126);
        IdxTestFiles.WriteRandomSplit(_data, "train", TrainImages, random);
        IdxTestFiles.WriteRandomSplit(_data, "t10k", TestImages, random);
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TwoRunsWithOneSeedWriteIdenticalCheckpointsAndAStoppedRunResumesExactly()
    {
        // 200 images in batches of 32: 6 steps per epoch, 12 in all; the stop at step 5 is inside epoch 0, before the
        // last layer is unfrozen and before the warm-up ends, so every schedule and the per-tensor step counts matter.
        byte[] straight = Train("straight");
        byte[] again = Train("again");
        Assert.True(straight.SequenceEqual(again), "two runs with the same seed wrote different checkpoints");

        var (code, output, error) = Dino(Arguments("resumed", "--max-steps", "5"));
        Assert.True(code == 0, error);
        Assert.Contains("stopped at step 5 of 12", output);
        string stoppedAt = Path.Combine(_directory.Path, "resumed", "checkpoint.safetensors");
        Assert.False(File.ReadAllBytes(stoppedAt).SequenceEqual(straight));

        (code, output, error) = Dino(Arguments("resumed", "--resume", stoppedAt));
        Assert.True(code == 0, error);
        Assert.Contains("resumed from", output);
        Assert.Contains("at step 5 (epoch 0)", output);
        Assert.True(File.ReadAllBytes(stoppedAt).SequenceEqual(straight), "5 steps + resume + 7 steps differ from 12 steps");

        // A second stop at an epoch boundary (step 6) resumes exactly too.
        (code, _, error) = Dino(Arguments("boundary", "--max-steps", "6"));
        Assert.True(code == 0, error);
        string boundary = Path.Combine(_directory.Path, "boundary", "checkpoint.safetensors");
        (code, _, error) = Dino(Arguments("boundary", "--resume", boundary));
        Assert.True(code == 0, error);
        Assert.True(File.ReadAllBytes(boundary).SequenceEqual(straight), "6 steps + resume + 6 steps differ from 12 steps");
    }

    [Fact]
    public void ResumingWithAnotherSeedIsOneLineAndLeavesTheCheckpoint()
    {
        var (code, _, error) = Dino(Arguments("seeded", "--max-steps", "2"));
        Assert.True(code == 0, error);
        string checkpoint = Path.Combine(_directory.Path, "seeded", "checkpoint.safetensors");
        byte[] before = File.ReadAllBytes(checkpoint);
        (code, _, error) = Dino([.. Arguments("seeded", "--resume", checkpoint), "--seed", "8"]);
        Assert.Equal(2, code);
        Assert.Matches(@"^dino: train: .*checkpoint\.safetensors was trained with seed 7, not 8; resume it with the same seed", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.True(File.ReadAllBytes(checkpoint).SequenceEqual(before));
    }

    private byte[] Train(string run)
    {
        var (code, _, error) = Dino(Arguments(run));
        Assert.True(code == 0, error);
        return File.ReadAllBytes(Path.Combine(_directory.Path, run, "checkpoint.safetensors"));
    }

    private string[] Arguments(string run, params string[] extra) =>
    [
        "train", "--model", "fmnist-tiny", "--data", _data, "--epochs", "2", "--batch", Batch.ToString(), "--local-crops", "2",
        "--seed", "7", "--threads", "2", "--workers", "2", "--device", "cpu", "--no-init-eval", "--out", Path.Combine(_directory.Path, run), .. extra,
    ];

    private static (int Code, string Output, string Error) Dino(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DinoCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString().Replace("\r\n", "\n"));
    }
}
