using System;
using System.IO;
using System.Linq;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Data;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary>
/// Each bad path the CLI can meet, as one line <c>dino: OPTION: ...</c> naming the path and the reason, exit code 2,
/// nothing printed on the output (no work started), and no checkpoint lost. The tests may run as root, where permission
/// bits stop nothing: an unwritable or uncreatable directory is made with what stops root too, a path below an
/// existing file and /proc (a virtual file system that takes no new files).
/// </summary>
public sealed class PathErrorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static void AssertOneLine(string expected, (int Code, string Output, string Error) run)
    {
        Assert.Equal(expected + "\n", run.Error);
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Output);
    }

    private string ExistingFile(string name = "a-file")
    {
        string path = _directory.File(name);
        File.WriteAllText(path, "not a directory");
        return path;
    }

    [Fact]
    public void TrainOutThatIsAnExistingFile()
    {
        string file = ExistingFile();
        AssertOneLine($"dino: --out: '{file}' is a file, not a directory", CliRun.Dino(["train", "--out", file]));
        Assert.Equal("not a directory", File.ReadAllText(file));
    }

    [Fact]
    public void TrainOutBelowAFileCannotBeCreatedEvenByRoot()
    {
        string file = ExistingFile();
        string run = Path.Combine(file, "runs", "one");
        AssertOneLine($"dino: --out: cannot create the directory '{run}': '{file}' is a file", CliRun.Dino(["train", "--out", run]));
    }

    [Fact]
    public void TrainOutInProcCannotBeCreatedEvenByRoot()
    {
        Assert.True(Directory.Exists("/proc"), "these tests run on Linux, where /proc takes no new directories");
        string run = "/proc/dino-run-" + Guid.NewGuid().ToString("N");
        var result = CliRun.Dino(["train", "--out", run]);
        Assert.Equal(2, result.Code);
        Assert.StartsWith($"dino: --out: cannot create the directory '{run}': the system refused (", result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void TrainOutThatExistsButTakesNoFileEvenForRoot()
    {
        var result = CliRun.Dino(["train", "--out", "/proc"]);
        Assert.Equal(2, result.Code);
        Assert.StartsWith("dino: --out: cannot write in the directory '/proc': a new file there was refused (", result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void TrainOutIsCreatedWhenMissing()
    {
        // The nonexistent run folder is fine: created, with its parents; a bad --data then stops the run.
        string run = _directory.File(Path.Combine("new", "run"));
        AssertOneLine($"dino: --data: no directory '{_directory.File("no-data")}'", CliRun.Dino(["train", "--out", run, "--data", _directory.File("no-data")]));
        Assert.True(Directory.Exists(run));
        Assert.Empty(Directory.GetFileSystemEntries(run));
    }

    [Fact]
    public void ARunFolderWhoseCheckpointIsADirectoryIsRefusedBeforeTraining()
    {
        string run = _directory.File("run");
        Directory.CreateDirectory(Path.Combine(run, "checkpoint.safetensors"));
        AssertOneLine($"dino: --out: '{Path.Combine(run, "checkpoint.safetensors")}' is a directory, not a file; it would be written there",
            CliRun.Dino(["train", "--out", run, "--device", "cpu"]));
    }

    [Fact]
    public void TrainResumeThatIsAFolder()
    {
        string folder = _directory.File("checkpoint.safetensors");
        Directory.CreateDirectory(folder);
        AssertOneLine($"dino: --resume: '{folder}' is a directory, not a file", CliRun.Dino(["train", "--resume", folder]));
    }

    [Fact]
    public void TrainDataThatIsAFile()
    {
        string file = ExistingFile();
        AssertOneLine($"dino: --data: '{file}' is a file, not a directory", CliRun.Dino(["train", "--data", file]));
    }

    [Theory]
    [InlineData("eval knn")]
    [InlineData("features")]
    public void ACheckpointThatIsMissingOrAFolder(string command)
    {
        string[] words = command.Split(' ');
        string missing = _directory.File("missing.safetensors");
        AssertOneLine($"dino: --checkpoint: no file '{missing}'", CliRun.Dino([.. words, "--checkpoint", missing]));
        AssertOneLine($"dino: --checkpoint: '{_directory.Path}' is a directory, not a file", CliRun.Dino([.. words, "--checkpoint", _directory.Path]));
    }

    [Fact]
    public void FeaturesOutThatIsAFolderOrInAMissingOrUnwritableFolder()
    {
        string checkpoint = ExistingFile("checkpoint.safetensors");
        AssertOneLine($"dino: --out: '{_directory.Path}' is a directory, not a file",
            CliRun.Dino(["features", "--checkpoint", checkpoint, "--out", _directory.Path]));
        string inMissing = _directory.File(Path.Combine("missing", "f.npy"));
        AssertOneLine($"dino: --out: cannot write '{inMissing}': no directory '{_directory.File("missing")}'",
            CliRun.Dino(["features", "--checkpoint", checkpoint, "--out", inMissing]));
        var result = CliRun.Dino(["features", "--checkpoint", checkpoint, "--out", "/proc/f.npy"]);
        Assert.Equal(2, result.Code);
        Assert.StartsWith("dino: --out: cannot write '/proc/f.npy' in '/proc': a new file there was refused (", result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void GpuCheckJsonIsCheckedBeforeTheGpu()
    {
        // Checked before the device is opened: a bad --json fails the same on a machine with or without a GPU.
        string file = ExistingFile();
        string below = Path.Combine(file, "check.json");
        AssertOneLine($"dino: --json: cannot write '{below}': '{file}' is a file, not a directory", CliRun.Dino(["gpu", "check", "--json", below]));
        AssertOneLine($"dino: --json: '{_directory.Path}' is a directory, not a file", CliRun.Dino(["gpu", "check", "--json", _directory.Path]));
    }

    /// <summary>
    /// The disk fills while the second checkpoint is written: one line naming the checkpoint and the device error, the
    /// first checkpoint byte for byte as it was, and no temporary file left behind. The failure is injected through the
    /// writer's stream (<see cref="FullDiskStream"/>), so the test needs neither root nor a small file system.
    /// </summary>
    [Fact]
    public void AFullDiskWhileWritingACheckpointKeepsThePreviousOne()
    {
        string data = _directory.File("data");
        Directory.CreateDirectory(data);
        var random = new Random(13);
        foreach (var (prefix, count) in new[] { ("train", 64), ("t10k", 20) })
        {
            var pixels = new byte[count * 28 * 28];
            random.NextBytes(pixels);
            var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            IdxTestFiles.Write(Path.Combine(data, prefix + "-images-idx3-ubyte"), IdxTestFiles.ImageFileBytes(count, 28, 28, pixels), gzip: false);
            IdxTestFiles.Write(Path.Combine(data, prefix + "-labels-idx1-ubyte"), IdxTestFiles.LabelFileBytes(labels), gzip: false);
        }
        string run = _directory.File("run");
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        string[] train =
        [
            "train", "--model", "fmnist-tiny", "--data", data, "--epochs", "1", "--batch", "16", "--local-crops", "2", "--seed", "3",
            "--threads", "2", "--workers", "1", "--device", "cpu", "--no-init-eval", "--out", run,
        ];

        var first = CliRun.Dino([.. train, "--max-steps", "2"]);
        Assert.True(first.Code == 0, first.Error);
        byte[] saved = File.ReadAllBytes(checkpoint);

        FullDiskStream? disk = null;
        var full = CliRun.Dino([.. train, "--resume", checkpoint], path => disk = new FullDiskStream(path, capacity: saved.Length / 3));
        Assert.True(disk is { Failed: true }, "the checkpoint write never reached the full disk");
        Assert.Equal(2, full.Code);
        Assert.Equal($"dino: train: {checkpoint}: the checkpoint could not be written (a previous file there is kept): No space left on device : '{checkpoint}.tmp'\n",
            full.Error.Split('\r').Last());
        Assert.True(File.ReadAllBytes(checkpoint).SequenceEqual(saved), "the previous checkpoint changed");
        Assert.False(File.Exists(checkpoint + ".tmp"));
    }
}
