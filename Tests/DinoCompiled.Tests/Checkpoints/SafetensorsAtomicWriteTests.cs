using System;
using System.IO;
using DinoCompiled.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>A write either replaces the file with the complete new one or leaves the previous file as it was.</summary>
public sealed class SafetensorsAtomicWriteTests
{
    private static SafetensorsWriter PreviousCheckpoint() =>
        new SafetensorsWriter().SetMetadata("epoch", "1").AddFloat32("w", new[] { 1f, 2f, 3f }, 3);

    [Fact]
    public void AWriteThatFailsMidwayLeavesThePreviousFileIntact()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("checkpoint.safetensors");
        PreviousCheckpoint().Write(path);
        byte[] before = File.ReadAllBytes(path);

        // The header and the first tensor reach the temporary file; the second tensor's data then fails.
        var writer = new SafetensorsWriter()
            .SetMetadata("epoch", "2")
            .AddFloat32("w", new float[100_000], 100_000)
            .AddFloat32("v", new FailingMemory(10).Memory, 10);
        var error = Assert.Throws<IOException>(() => writer.Write(path));

        Assert.Equal("simulated failure while writing tensor data", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"), "the temporary file is removed after a failure");
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("1", file.Metadata["epoch"]);
        Assert.Equal(new[] { 1f, 2f, 3f }, file.ReadFloat32("w"));
    }

    [Fact]
    public void ASuccessfulWriteReplacesThePreviousFileAndLeavesNoTemporary()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("checkpoint.safetensors");
        PreviousCheckpoint().Write(path);

        new SafetensorsWriter().SetMetadata("epoch", "2").AddFloat32("w", new[] { 4f }, 1).Write(path);

        Assert.Equal(new[] { "checkpoint.safetensors" }, Array.ConvertAll(Directory.GetFiles(dir.Path), Path.GetFileName));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("2", file.Metadata["epoch"]);
        Assert.Equal(new[] { 4f }, file.ReadFloat32("w"));
    }

    [Fact]
    public void AFailedRenameLeavesTheTargetAndNoTemporary()
    {
        // The target is a directory: the data is written, the final move fails.
        using var dir = new TemporaryDirectory();
        string path = dir.File("taken");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => PreviousCheckpoint().Write(path));

        Assert.True(Directory.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void AMissingDirectoryFailsWithoutCreatingAnything()
    {
        using var dir = new TemporaryDirectory();
        string path = Path.Combine(dir.Path, "absent", "checkpoint.safetensors");

        Assert.Throws<DirectoryNotFoundException>(() => PreviousCheckpoint().Write(path));

        Assert.False(Directory.Exists(Path.Combine(dir.Path, "absent")));
    }
}
