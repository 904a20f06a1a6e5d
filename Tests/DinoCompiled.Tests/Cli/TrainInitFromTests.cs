using System;
using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary><c>dino train --init-from</c>: the new run starts from the file's backbone; misuse is one line that writes nothing.</summary>
public sealed class TrainInitFromTests : IClassFixture<SmallTrainedRun>
{
    private readonly SmallTrainedRun _run;

    public TrainInitFromTests(SmallTrainedRun run) => _run = run;

    /// <summary>
    /// A run with another seed (so another initialization) from the checkpoint: after its one step the student's
    /// backbone is the source teacher's moved by one AdamW step. The first Adam step moves each weight by the learning
    /// rate (m̂ / √v̂ = ±1) plus its weight decay: at most 1.1 × 6.25e-5 here (0.0005 × 32 / 256, no warm-up in a
    /// one-epoch run), where a fresh initialization would be ~0.02 away. The head keeps the new seed's initialization.
    /// </summary>
    [Fact]
    public void TheNewRunStartsFromTheCheckpointsTeacherBackbone()
    {
        string folder = _run.NewFolder("init-from");
        var (code, output, error) = CliRun.Dino(
        [
            "train", "--model", "fmnist-tiny", "--data", _run.Data, "--epochs", "1", "--batch", "32", "--local-crops", "2", "--max-steps", "1",
            "--threads", "2", "--workers", "2", "--device", "cpu", "--no-init-eval", "--seed", "7", "--out", folder, "--init-from", _run.Checkpoint,
        ]);
        Assert.True(code == 0, error);
        Assert.Contains($"  backbone initialized from {_run.Checkpoint} (the teacher of a training checkpoint, ", output);

        var table = FmnistTiny.Parameters;
        var source = new float[table.FlatLength];
        var started = new float[table.FlatLength];
        TrainingCheckpoint.LoadParameters(_run.Checkpoint, table, "fmnist-tiny", source, teacher: true);
        TrainingCheckpoint.LoadParameters(Path.Combine(folder, "checkpoint.safetensors"), table, "fmnist-tiny", started, teacher: false);
        double backbone = 0, head = 0;
        foreach (var p in table)
            for (long i = p.Offset; i < p.Offset + p.Count; i++)
            {
                double difference = Math.Abs(source[i] - started[i]);
                if (p.Part == ModelPart.Backbone) backbone = Math.Max(backbone, difference);
                else head = Math.Max(head, difference);
            }
        Assert.True(backbone <= 1.1 * 6.25e-5, $"the student's backbone is {backbone:E2} from the source teacher's");
        Assert.True(head > 1e-3, $"the head is {head:E2} from the source's: the seed did not change the initialization");
    }

    [Fact]
    public void InitFromAndResumeTogetherIsOneLine()
    {
        string folder = _run.NewFolder("both");
        var (code, _, error) = CliRun.Dino(["train", "--data", _run.Data, "--out", folder, "--init-from", _run.Checkpoint, "--resume", _run.Checkpoint]);
        Assert.Equal(2, code);
        Assert.Equal("dino: train: give --init-from (new run from pretrained weights) or --resume (continue a run), not both\n", error);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void ABackboneOfAnotherModelNamesWhatDoesNotFit()
    {
        string folder = _run.NewFolder("misfit");
        string other = Path.Combine(_run.NewFolder("other"), "reduced-vit.safetensors");
        BackboneExport.Save(other, ReducedVit.Parameters, new float[ReducedVit.Parameters.FlatLength], "reduced-vit");
        var (code, _, error) = CliRun.Dino(["train", "--data", _run.Data, "--out", folder, "--init-from", other, "--device", "cpu"]);
        Assert.Equal(2, code);
        Assert.StartsWith($"dino: train: --init-from {other}: does not fit fmnist-tiny's backbone: ", error);
        Assert.Contains("mis-shaped", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Empty(Directory.GetFiles(folder));
    }
}
