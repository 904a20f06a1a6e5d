using System;
using System.IO;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Data;

namespace DinoCompiled.Tests.Distributed;

/// <summary>
/// The data and the uninterrupted 2-rank run the MPI tests compare against, made once per test class: 64 random 28×28
/// images (4 steps of 16 per epoch), 5 epochs = 20 steps.
/// </summary>
public sealed class TwoRankRun : IDisposable
{
    public const int Epochs = 5, StepsPerEpoch = 4;
    private readonly TemporaryDirectory _directory = new();
    private byte[]? _straight;

    public TwoRankRun()
    {
        Data = Path.Combine(_directory.Path, "data");
        Directory.CreateDirectory(Data);
        var random = new Random(20261212);
        IdxTestFiles.WriteRandomSplit(Data, "train", 64, random);
        IdxTestFiles.WriteRandomSplit(Data, "t10k", 16, random);
    }

    public string Root => _directory.Path;

    public string Data { get; }

    /// <summary>The options of every run of the tests: one compute thread and one loader thread per rank (2 cores).</summary>
    public string[] Arguments(string run, params string[] extra) =>
    [
        "train", "--model", "fmnist-tiny", "--data", Data, "--epochs", Epochs.ToString(), "--batch", "16", "--local-crops", "2", "--seed", "7",
        "--threads", "1", "--workers", "1", "--device", "cpu", "--no-init-eval", "--progress", "none", "--out", Path.Combine(Root, run), .. extra,
    ];

    public string Checkpoint(string run) => Path.Combine(Root, run, "checkpoint.safetensors");

    /// <summary>The checkpoint bytes of the uninterrupted 2-rank run (run on first use).</summary>
    public byte[] Straight
    {
        get
        {
            if (_straight is null)
            {
                var (code, output, error) = MpiJob.Run(Root, 2, Arguments("straight"));
                if (code != 0) throw new InvalidOperationException($"the 2-rank run failed ({code}):\n{output}\n{error}");
                _straight = File.ReadAllBytes(Checkpoint("straight"));
            }
            return _straight;
        }
    }

    public void Dispose() => _directory.Dispose();
}
