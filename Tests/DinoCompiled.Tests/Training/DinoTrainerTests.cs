using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DinoCompiled.Data;
using DinoCompiled.Models;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.TestModels.Sweep;
using DinoCompiled.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace DinoCompiled.Tests.Training;

/// <summary>
/// The public training API: a <see cref="DinoTrainer{TModel}"/> reports steps and evaluations in order to its
/// progress, writes the run folder, stops on cancellation with a checkpoint that resumes to the same bytes as an
/// uninterrupted run, and refuses what cannot work with one-line errors before any training.
/// </summary>
public sealed class DinoTrainerTests : IDisposable
{
    // 48 gray images of 16 per batch: 3 steps per epoch.
    private const int Images = 48, Batch = 16;
    private readonly TemporaryDirectory _directory = new();
    private readonly string _photos;

    public DinoTrainerTests()
    {
        _photos = _directory.File("photos");
        Directory.CreateDirectory(_photos);
        var random = new Random(7);
        for (int i = 0; i < Images; i++)
        {
            using var image = new Image<L8>(30 + i % 5, 28 + i % 3);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                    foreach (ref var p in rows.GetRowSpan(y)) p = new L8((byte)random.Next(256));
            });
            image.SaveAsPng(Path.Combine(_photos, $"p{i:D2}.png"));
        }
    }

    public void Dispose() => _directory.Dispose();

    private DinoTrainerOptions Options(string runFolder) => new()
    {
        Data = _photos, RunFolder = _directory.File(runFolder), Threads = 2, DataWorkers = 2,
        Recipe = TrainingOptions.For(TrainingPreset.SmallData) with { Epochs = 2, BatchSize = Batch, LocalCrops = 2, Seed = 5 },
    };

    [Fact]
    public async Task ARunReportsEveryStepAndEvaluationInOrderAndWritesItsRunFolder()
    {
        var reports = new List<TrainingProgress>();
        using var trainer = new DinoTrainer<FmnistTiny>(Options("straight"));
        Assert.Equal(3, trainer.StepsPerEpoch);
        Assert.Equal(6, trainer.TotalSteps);
        Assert.False(trainer.HasLabels);
        var result = await trainer.RunAsync(new ImmediateProgress<TrainingProgress>(reports.Add));

        string Shape(TrainingProgress p) => p.Kind == TrainingProgressKind.Step ? $"s{p.Step}" : p.Kind == TrainingProgressKind.Evaluated ? $"e{p.Evaluation!.Epoch}" : p.Kind.ToString();
        Assert.Equal("e-1 s1 s2 s3 e0 s4 s5 s6 e1", string.Join(" ", reports.Select(Shape)));
        Assert.All(reports, p => Assert.Equal(6, p.TotalSteps));
        Assert.All(reports.Where(p => p.Kind == TrainingProgressKind.Step), p => Assert.True(double.IsFinite(p.StepReport!.Value.Loss)));
        // The preset's teacher temperature rises from 0.04 to 0.07 over its first 2 epochs (np.linspace: 0.04, then 0.07).
        Assert.Equal([0.04, 0.04, 0.04, 0.07, 0.07, 0.07], reports.Where(p => p.Kind == TrainingProgressKind.Step).Select(p => Math.Round(p.StepReport!.Value.TeacherTemperature, 6)));
        Assert.False(result.Stopped);
        Assert.Equal(6, result.Steps);
        Assert.Equal(3, result.Evaluations.Count);
        Assert.Equal(-1, result.Initial!.Epoch);
        Assert.Equal(1, result.Final!.Epoch);
        Assert.True(result.Final.RankMe >= 1 && result.Final.RankMe <= 128, $"RankMe {result.Final.RankMe}");
        Assert.True(double.IsNaN(result.Final.KnnTopOne), "no labels, so no k-NN");
        // The collapse monitor samples every 10th step: epoch 1's first step.
        Assert.NotNull(result.Evaluations[1].Collapse);
        Assert.True(File.Exists(result.CheckpointPath));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(trainer.RunFolder, "metrics.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(trainer.RunFolder, "training.png")));
        Assert.Matches(@"^epoch 2/2: loss \d+\.\d{4}, RankMe \d+\.\d$", reports[^1].ToString());
    }

    [Fact]
    public void CancellingStopsAfterTheStepWithACheckpointThatResumesToTheUninterruptedBytes()
    {
        using (var straight = new DinoTrainer<FmnistTiny>(Options("straight") with { EvaluateInitialization = false }))
            straight.Run();
        byte[] uninterrupted = File.ReadAllBytes(_directory.File("straight/checkpoint.safetensors"));

        using var stop = new CancellationTokenSource();
        TrainingResult stopped;
        using (var first = new DinoTrainer<FmnistTiny>(Options("stopped") with { EvaluateInitialization = false }))
            stopped = first.Run(new ImmediateProgress<TrainingProgress>(p =>
            {
                if (p.Kind == TrainingProgressKind.Step && p.Step == 4) stop.Cancel();
            }), stop.Token);
        Assert.True(stopped.Stopped);
        Assert.Equal(4, stopped.Steps);
        Assert.Single(stopped.Evaluations); // epoch 1's; epoch 2 did not end

        var notes = new List<string>();
        using (var second = new DinoTrainer<FmnistTiny>(Options("stopped") with { EvaluateInitialization = false, ResumeFrom = stopped.CheckpointPath }))
        {
            var resumed = second.Run(new ImmediateProgress<TrainingProgress>(p =>
            {
                if (p.Kind == TrainingProgressKind.Note) notes.Add(p.Message!);
            }));
            Assert.False(resumed.Stopped);
            Assert.Equal(6, resumed.Steps);
        }
        Assert.Equal([$"resumed from {stopped.CheckpointPath} at step 4 (epoch 1)"], notes);
        Assert.True(File.ReadAllBytes(stopped.CheckpointPath).SequenceEqual(uninterrupted), "4 steps, a stop and a resume differ from 6 steps");
    }

    [Fact]
    public void WhatCannotWorkIsAOneLineErrorBeforeAnyTraining()
    {
        var both = Assert.Throws<ArgumentException>(() => new DinoTrainer<FmnistTiny>(Options("both") with { InitializeFrom = "a", ResumeFrom = "b" }));
        Assert.StartsWith("Give InitializeFrom (a new run from pretrained weights) or ResumeFrom (continue a run), not both.", both.Message);

        var batch = Assert.Throws<DinoTrainingException>(() => new DinoTrainer<FmnistTiny>(Options("batch") with { Recipe = new TrainingOptions { BatchSize = 64 } }));
        Assert.Equal("48 training images make no full batch of 64", batch.Message);

        // A 3-channel model on gray IDX files.
        string idx = Path.Combine(Infrastructure.RepositoryPaths.Root, "data", "fashion-mnist-subset");
        var channels = Assert.Throws<DinoTrainingException>(() => new DinoTrainer<Sweep320>(Options("channels") with { Data = idx }));
        Assert.Equal("sweep-320 takes 3-channel images but the data has 1 channel(s)", channels.Message);

        var unlabeled = Assert.Throws<DatasetException>(() => new DinoTrainer<FmnistTiny>(Options("eval") with { EvaluationData = _photos }));
        Assert.Equal($"{_photos}: a folder of unlabeled images; the k-NN evaluation needs labelled data (IDX files, or train/ and val/ class folders)", unlabeled.Message);

        var missing = Assert.Throws<DatasetException>(() => new DinoTrainer<FmnistTiny>(Options("missing") with { Data = _directory.File("nothing") }));
        Assert.Equal($"{_directory.File("nothing")}: no such directory", missing.Message);
        Assert.All(new[] { "both", "batch", "channels", "eval", "missing" }, name => Assert.False(File.Exists(_directory.File(name + "/checkpoint.safetensors"))));
    }
}
