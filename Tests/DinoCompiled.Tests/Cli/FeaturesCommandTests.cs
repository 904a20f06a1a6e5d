using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Xunit;

namespace DinoCompiled.Tests.Cli;

/// <summary><c>dino features --tokens cls|patch|all --blocks</c>: the .npy shapes, and the CLS tokens are the CLS features.</summary>
public sealed class FeaturesCommandTests : IClassFixture<SmallTrainedRun>
{
    private readonly SmallTrainedRun _run;

    public FeaturesCommandTests(SmallTrainedRun run) => _run = run;

    [Fact]
    public void TokensAndBlocksGiveTheirShapesAndTheClsTokensAreTheClsFeatures()
    {
        string folder = _run.NewFolder("features");
        var (cls, clsShape) = Features(folder, "cls.npy");
        Assert.Equal(new long[] { SmallTrainedRun.TestImages, 128 }, clsShape);
        var (all, allShape) = Features(folder, "all.npy", "--tokens", "all", "--blocks", "2,-1");
        Assert.Equal(new long[] { SmallTrainedRun.TestImages, 2, 50, 128 }, allShape);
        var (patch, patchShape) = Features(folder, "patch.npy", "--tokens", "patch");
        Assert.Equal(new long[] { SmallTrainedRun.TestImages, 49, 128 }, patchShape);
        for (int n = 0; n < SmallTrainedRun.TestImages; n++)
        {
            // Block 3 (the last) is the second of the two; its token 0 is the CLS feature, bit for bit.
            Assert.True(all.AsSpan(((n * 2 + 1) * 50) * 128, 128).SequenceEqual(cls.AsSpan(n * 128, 128)), $"image {n}: CLS token of the last block is not the CLS feature");
            Assert.True(all.AsSpan(((n * 2 + 1) * 50 + 1) * 128, 49 * 128).SequenceEqual(patch.AsSpan(n * 49 * 128, 49 * 128)), $"image {n}: patch tokens differ");
            Assert.False(all.AsSpan(n * 2 * 50 * 128, 128).SequenceEqual(cls.AsSpan(n * 128, 128)), "block 2's CLS token equals the last block's");
        }
    }

    [Theory]
    [InlineData("--tokens", "patches", "dino: features: --tokens takes 'cls', 'patch' or 'all', not 'patches'")]
    [InlineData("--blocks", "4", "dino: features: --blocks takes block numbers from 0 to 3 (or -1 for the last), comma-separated, not '4'")]
    [InlineData("--blocks", "1,1", "dino: features: --blocks names a block twice: '1,1'")]
    public void ABadSelectionIsOneLine(string option, string value, string message)
    {
        string output = Path.Combine(_run.NewFolder("bad"), "f.npy");
        var (code, _, error) = CliRun.Dino(["features", "--checkpoint", _run.Checkpoint, "--data", _run.Data, "--split", "test", option, value, "--out", output]);
        Assert.Equal(2, code);
        Assert.Equal(message + "\n", error);
        Assert.False(File.Exists(output));
    }

    private (float[] Data, long[] Shape) Features(string folder, string name, params string[] extra)
    {
        string path = Path.Combine(folder, name);
        var (code, output, error) = CliRun.Dino(["features", "--checkpoint", _run.Checkpoint, "--data", _run.Data, "--split", "test", "--out", path, .. extra]);
        Assert.True(code == 0, error);
        Assert.Contains(path, output);
        return ReadNpy(path);
    }

    /// <summary>Reads a float32 C-order .npy file: the header's shape tuple, then the data.</summary>
    internal static (float[] Data, long[] Shape) ReadNpy(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4', 'fortran_order': False", header);
        string tuple = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..header.IndexOf(')')];
        long[] shape = tuple.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + headerLength)).ToArray();
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), data.Length);
        return (data, shape);
    }
}
