using System.IO;
using System.Linq;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Cli;
using DinoCompiled.Training;
using Xunit;

namespace DinoCompiled.Tests.Training;

/// <summary>The recipes a preset starts from, and <c>dino train --preset</c>: the flags given override the preset's values.</summary>
public sealed class TrainingPresetTests
{
    [Fact]
    public void TheStandardPresetIsTheReferenceRecipeAndSmallDataChangesOnlyItsFourValues()
    {
        Assert.Equal(new TrainingOptions(), TrainingOptions.For(TrainingPreset.Standard));
        var small = TrainingOptions.For(TrainingPreset.SmallData);
        Assert.Equal(new TrainingOptions
        {
            TeacherMomentum = 0.99, LearningRate = 1e-3, WarmupTeacherTemperature = 0.04, TeacherTemperature = 0.07, WarmupTeacherTemperatureEpochs = 2,
        }, small);
        var schedules = new DinoSchedules(small with { Epochs = 4 }, iterationsPerEpoch: 10);
        Assert.Equal([0.04, 0.07, 0.07, 0.07], new[] { 0, 1, 2, 3 }.Select(e => schedules.TeacherTemperature(e)));
    }

    [Fact]
    public void DinoTrainTakesThePresetAndItsFlagsOverrideIt()
    {
        using var directory = new TemporaryDirectory();
        string[] Run(params string[] extra) =>
            ["train", "--epochs", "2", "--batch", "64", "--max-steps", "1", "--no-init-eval", "--device", "cpu", "--out", directory.File("run"), .. extra];
        // Peak lr = base x 64 / 256: the preset's 1e-3 gives 0.00025; --lr 0.002 over the preset gives 0.0005.
        var (code, output, error) = CliRun.Dino(Run("--preset", "small-data"));
        Assert.True(code == 0, error);
        Assert.Contains("steps of 64 images (2x28 + 8x12 crops), peak lr 0.00025 after", output);
        (code, output, error) = CliRun.Dino(Run("--preset", "small-data", "--lr", "0.002"));
        Assert.True(code == 0, error);
        Assert.Contains("peak lr 0.0005 after", output);
        (code, _, error) = CliRun.Dino(Run("--preset", "tiny"));
        Assert.Equal(2, code);
        Assert.Equal("dino: train: --preset takes 'standard' or 'small-data', not 'tiny'\n", error);
    }
}
