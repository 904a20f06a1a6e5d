using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using DinoCompiled.Checkpoints;
using DinoCompiled.Tests.Checkpoints;
using DinoCompiled.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.TrainingCheckpoints;

/// <summary>Features written as NumPy .npy v1.0 files, as numpy itself writes them.</summary>
public sealed class NpyWriterTests
{
    private const string Python = NumpyFactAttribute.Python;
    private readonly ITestOutputHelper _output;

    public NpyWriterTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void TheHeaderIsNumpysByteForByte()
    {
        // numpy 1.24: io = BytesIO(); np.save(io, np.zeros((3, 4), np.float32)); io.getvalue()[:128]
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        var expected = new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }
            .Concat(Encoding.ASCII.GetBytes(dict))
            .Concat(Enumerable.Repeat((byte)' ', 128 - 10 - dict.Length - 1))
            .Append((byte)'\n')
            .ToArray();

        Assert.Equal(expected, NpyWriter.Header(3, 4));
    }

    [Theory]
    [InlineData(0, 384)]
    [InlineData(1, 1)]
    [InlineData(60000, 384)]
    [InlineData(123456789, 1000000)]
    public void TheDataStartsAtAMultipleOf64(long rows, long columns)
    {
        byte[] header = NpyWriter.Header(rows, columns);
        Assert.Equal(0, header.Length % 64);
        Assert.Equal(header.Length - 10, BitConverter.ToUInt16(header, 8));
        Assert.Equal((byte)'\n', header[^1]);
        Assert.Contains($"'shape': ({rows}, {columns}), }}", Encoding.ASCII.GetString(header));
    }

    [Fact]
    public void TheFileIsTheHeaderThenTheFloats()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("features.npy");
        float[] data = { 1f, -2.5f, 3.25f, float.MaxValue, -0f, 6f };
        NpyWriter.Write(path, data, 2, 3);

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(NpyWriter.Header(2, 3), file.AsSpan(0, 128).ToArray());
        Assert.Equal(MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), file.AsSpan(128).ToArray());
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void AWrongLengthIsRefusedWithoutWriting()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("features.npy");
        var error = Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, new float[5], 2, 3));
        Assert.StartsWith($"{path}: 5 floats do not make a 2 × 3 matrix.", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AFailedWriteLeavesNoTemporaryAndNamesTheFile()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("taken");
        Directory.CreateDirectory(path);

        var error = Assert.ThrowsAny<IOException>(() => NpyWriter.Write(path, new float[6], 2, 3));

        Assert.StartsWith($"{path}: the features could not be written", error.Message);
        Assert.True(Directory.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    /// <summary>
    /// numpy.load reads the file back equal, and numpy writes the same header for the same shape. Needs
    /// /usr/bin/python3 with numpy (skipped, with the reason, without them).
    /// </summary>
    [NumpyFact]
    public void NumpyLoadsItBackEqual()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("features.npy");
        var random = new Random(5);
        float[] data = Enumerable.Range(0, 7 * 5).Select(_ => (float)(random.NextDouble() * 200 - 100)).ToArray();
        NpyWriter.Write(path, data, 7, 5);

        string script = string.Join("\n",
            "import io, sys",
            "import numpy as np",
            "a = np.load(sys.argv[1])",
            "own = io.BytesIO(); np.save(own, np.zeros(a.shape, np.float32))",
            "with open(sys.argv[1], 'rb') as f: header = f.read(len(own.getvalue()) - a.nbytes)",
            "print(a.dtype, a.shape, a.flags['C_CONTIGUOUS'], header == own.getvalue()[:len(header)])",
            "print(a.tobytes().hex())");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "python did not finish in a minute");
        Assert.True(process.ExitCode == 0, $"python failed: {stderr}");
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("float32 (7, 5) True True", lines[0]);
        Assert.Equal(Convert.ToHexStringLower(MemoryMarshal.AsBytes(data.AsSpan())), lines[1]);
        _output.WriteLine("numpy.load read the file back equal, with numpy's own header.");
    }
}
