using System;
using System.IO;
using Xunit;

namespace DinoCompiled.Tests.Infrastructure;

/// <summary>The snapshot helper itself: a change fails until it is accepted, and then passes.</summary>
public sealed class SnapshotStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dino-snapshots-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void AChangeFailsUntilItIsAcceptedThenPasses()
    {
        var strict = new SnapshotStore(_directory, accept: false);
        var accepting = new SnapshotStore(_directory, accept: true);

        var missing = Assert.Throws<SnapshotMismatchException>(() => strict.Match("Case", "cs", "a\nb\n"));
        Assert.Contains("No approved snapshot", missing.Message);
        Assert.Equal("a\nb\n", File.ReadAllText(strict.ReceivedPath("Case", "cs")));

        accepting.Match("Case", "cs", "a\nb\n");
        Assert.False(File.Exists(strict.ReceivedPath("Case", "cs")));
        strict.Match("Case", "cs", "a\nb\n");

        var changed = Assert.Throws<SnapshotMismatchException>(() => strict.Match("Case", "cs", "a\nc\n"));
        Assert.Contains("line 2", changed.Message);
        Assert.Contains("approved: b", changed.Message);
        Assert.Contains("received: c", changed.Message);
        Assert.Equal("a\nb\n", File.ReadAllText(strict.VerifiedPath("Case", "cs")));

        accepting.Match("Case", "cs", "a\nc\n");
        strict.Match("Case", "cs", "a\nc\n");
        Assert.Throws<SnapshotMismatchException>(() => strict.Match("Case", "cs", "a\nb\n"));
    }

    [Fact]
    public void LineEndingsTrailingSpaceAndBomDoNotCount()
    {
        var store = new SnapshotStore(_directory, accept: true);
        store.Match("Case", "txt", "x  \ny\n");
        new SnapshotStore(_directory, accept: false).Match("Case", "txt", "\uFEFFx\r\ny\t\r\n\r\n");
    }

    [Theory]
    [InlineData("1", null, true)]
    [InlineData("1", "false", true)]
    [InlineData("1", "true", false)]
    [InlineData("1", "TRUE", false)]
    [InlineData(null, null, false)]
    [InlineData("0", null, false)]
    public void OnlyAnExplicitRequestOutsideCiAccepts(string? accept, string? ci, bool accepts) =>
        Assert.Equal(accepts, SnapshotStore.Accepts(accept, ci));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
