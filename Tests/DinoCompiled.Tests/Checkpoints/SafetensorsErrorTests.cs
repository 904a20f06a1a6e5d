using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>Every malformed file fails on open with one message that names the file and the problem.</summary>
public sealed class SafetensorsErrorTests
{
    private static SafetensorsFormatException OpenFails(string path)
    {
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Equal(path, error.FilePath);
        Assert.Equal(path + ": " + error.Problem, error.Message);
        return error;
    }

    [Fact]
    public void AFileShorterThanTheLengthPrefix()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("tiny.safetensors");
        File.WriteAllBytes(path, new byte[5]);
        Assert.Equal($"{path}: the file holds 5 bytes, fewer than the 8 of the header length", OpenFails(path).Message);
    }

    [Fact]
    public void AHeaderLengthBeyondTheFile()
    {
        using var dir = new TemporaryDirectory();
        string path = RawSafetensors.Write(dir.File("checkpoint.safetensors"), new byte[4096 - 8], headerLength: 123456789);
        Assert.Equal($"{path}: header length 123456789 exceeds the file size 4096", OpenFails(path).Message);
    }

    [Fact]
    public void ATruncatedFile()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("truncated.safetensors");
        new SafetensorsWriter().AddFloat32("blocks.0.norm1.weight", new float[4], 4).AddFloat32("norm.weight", new float[4], 4).Write(path);
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 3);

        Assert.Equal($"{path}: tensor 'norm.weight' has data_offsets [16, 32] beyond the 29 bytes of data after the header (is the file truncated?)",
            OpenFails(path).Message);
    }

    [Fact]
    public void DataOffsetsThatDisagreeWithTheShape()
    {
        using var dir = new TemporaryDirectory();
        string path = RawSafetensors.Write(dir.File("checkpoint.safetensors"),
            RawSafetensors.OneTensor("blocks.0.attn.qkv.weight", "F32", "[1152, 384]", 0, 100), new byte[100]);
        Assert.Equal($"{path}: tensor 'blocks.0.attn.qkv.weight' has data_offsets [0, 100] but shape [1152, 384] of F32 needs 1769472 bytes",
            OpenFails(path).Message);
    }

    [Fact]
    public void NoTensorOfThatName()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("one.safetensors");
        new SafetensorsWriter().AddFloat32("y", new[] { 1f }, 1).Write(path);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal($"{path}: no tensor named 'x'", Assert.Throws<KeyNotFoundException>(() => file.ReadFloat32("x")).Message);
        Assert.False(file.Contains("x"));
    }

    public static TheoryData<string, int, string> MalformedHeaders => new()
    {
        { """{"a":{"dtype":"F32","shape":[1],}}""", 4, "the header is not valid JSON (line 1, byte 33)" },
        { "\u0001not json", 0, "the header is not valid JSON (line 1, byte 1)" },
        { "[1, 2]", 0, "the header is not a JSON object" },
        { RawSafetensors.OneTensor("x", "C64", "[2]", 0, 16), 16, "tensor 'x' has unsupported dtype 'C64' (supported: F64, F32, F16, BF16, I64, U8)" },
        { RawSafetensors.OneTensor("x", "f32", "[2]", 0, 8), 8, "tensor 'x' has unsupported dtype 'f32' (supported: F64, F32, F16, BF16, I64, U8)" },
        { RawSafetensors.OneTensor("x", "F32", "[2]", 0, 16), 16, "tensor 'x' has data_offsets [0, 16] but shape [2] of F32 needs 8 bytes" },
        { RawSafetensors.OneTensor("x", "F32", "[2]", 8, 16), 12, "tensor 'x' has data_offsets [8, 16] beyond the 12 bytes of data after the header (is the file truncated?)" },
        { RawSafetensors.OneTensor("x", "F32", "[2]", 16, 8), 16, "tensor 'x' has data_offsets [16, 8] that end before they begin" },
        { RawSafetensors.OneTensor("x", "F32", "[2, -1]", 0, 8), 8, "tensor 'x' has a \"shape\" that is not a list of non-negative 32-bit integers" },
        { RawSafetensors.OneTensor("x", "F32", "[2.5]", 0, 8), 8, "tensor 'x' has a \"shape\" that is not a list of non-negative 32-bit integers" },
        { RawSafetensors.OneTensor("x", "F32", "[65536, 65536, 65536, 65536, 65536]", 0, 8), 8, "tensor 'x' has shape [65536, 65536, 65536, 65536, 65536] whose size overflows" },
        { """{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}""", 8, "tensor 'x' has \"data_offsets\" that are not two non-negative integers" },
        { """{"x":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", 8, "tensor 'x' has \"data_offsets\" that are not two non-negative integers" },
        { """{"x":{"shape":[2],"data_offsets":[0,8]}}""", 8, "tensor 'x' has no \"dtype\" string" },
        { """{"x":[0, 8]}""", 8, "tensor 'x' is not described by a JSON object" },
        {
            """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", 24,
            "tensors 'a' [0, 16] and 'b' [8, 24] overlap"
        },
        {
            """{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2,
            "tensor 'a' appears twice in the header"
        },
        { """{"__metadata__":{"epoch":3}}""", 0, "\"__metadata__\" entry 'epoch' is not a string" },
        { """{"__metadata__":["epoch"]}""", 0, "\"__metadata__\" is not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void AMalformedHeader(string header, int dataBytes, string problem)
    {
        using var dir = new TemporaryDirectory();
        string path = RawSafetensors.Write(dir.File("bad.safetensors"), header, new byte[dataBytes]);
        Assert.Equal($"{path}: {problem}", OpenFails(path).Message);
    }

    [Fact]
    public void EmptyTensorsOverlapNothing()
    {
        // A zero-size tensor holds no bytes, so its offsets may sit inside another tensor's range.
        using var dir = new TemporaryDirectory();
        string path = RawSafetensors.Write(dir.File("empty.safetensors"),
            """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"e":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}}""", new byte[16]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { "a", "e" }, file.Names);
    }

    [Fact]
    public void AMissingFileIsAnIOErrorNotAFormatError()
    {
        using var dir = new TemporaryDirectory();
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(dir.File("absent.safetensors")));
        Assert.True(typeof(IOException).IsAssignableFrom(typeof(SafetensorsFormatException)), "callers handle both with one catch (IOException)");
        Assert.Empty(Directory.EnumerateFiles(dir.Path).ToArray());
    }
}
