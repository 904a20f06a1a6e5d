using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DinoCompiled.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>What <see cref="SafetensorsWriter"/> writes, <see cref="SafetensorsFile"/> reads back unchanged.</summary>
public sealed class SafetensorsRoundTripTests
{
    [Fact]
    public void EveryWritableDTypeRoundTripsWithShapesAndMetadata()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("all.safetensors");
        float[] flat = [9f, -1.5f, 2.25f, 3e-8f, -0f, 7f, float.MaxValue, 8f];
        new SafetensorsWriter()
            .SetMetadata("epoch", "3")
            .SetMetadata("note", "key names + unicode: \u00fc")
            .AddFloat32("weight", flat.AsMemory(1, 6), 2, 3) // a slice of a flat buffer, as checkpoints are saved
            .AddFloat64("f64", new[] { 0.1, -2.5, 1e-300 }, 3)
            .AddInt64("step", new[] { -3L, 0L, 1L << 40 }, 3)
            .AddUInt8("blob", new byte[] { 0, 7, 255 }, 3)
            .AddFloat32("scalar", new[] { 42f })
            .AddFloat32("empty", Array.Empty<float>(), 0, 3)
            .Write(path);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { "weight", "f64", "step", "blob", "scalar", "empty" }, file.Names);
        Assert.Equal(new Dictionary<string, string> { ["epoch"] = "3", ["note"] = "key names + unicode: \u00fc" }, file.Metadata);

        var weight = file.TensorInfo("weight");
        Assert.Equal(SafetensorsDType.F32, weight.DType);
        Assert.Equal("[2, 3]", weight.ShapeText);
        Assert.Equal(flat[1..7], file.ReadFloat32("weight"));
        Assert.Equal(new[] { (float)0.1, -2.5f, 0f }, file.ReadFloat32("f64"));
        Assert.Equal(new[] { -3L, 0L, 1L << 40 }, file.ReadInt64("step"));
        Assert.Equal(new byte[] { 0, 7, 255 }, file.ReadUInt8("blob"));
        Assert.Empty(file.TensorInfo("scalar").Shape);
        Assert.Equal(new[] { 42f }, file.ReadFloat32("scalar"));
        Assert.Equal(new[] { 0, 3 }, file.TensorInfo("empty").Shape);
        Assert.Empty(file.ReadFloat32("empty"));
    }

    [Fact]
    public void TheHeaderIsPaddedWithSpacesSoTheDataStarts8ByteAligned()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("padded.safetensors");
        new SafetensorsWriter().AddFloat32("a", new[] { 1f, 2f }, 2).AddInt64("b", new[] { 5L }, 1).Write(path);

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        string json = header.TrimEnd(' ');
        Assert.Equal("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[8,16]}}""", json);
        Assert.InRange(header.Length - json.Length, 0, 7);
        Assert.Equal(8 + headerLength + 16, bytes.Length);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + (int)headerLength));
    }

    [Fact]
    public void CopyToFillsASpanOfExactlyTheTensorsLength()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("copy.safetensors");
        new SafetensorsWriter().AddFloat32("x", new[] { 1f, 2f, 3f }, 3).Write(path);
        using var file = SafetensorsFile.Open(path);

        var flat = new float[5];
        file.CopyTo("x", flat.AsSpan(1, 3));
        Assert.Equal(new[] { 0f, 1f, 2f, 3f, 0f }, flat);

        var wrong = Assert.Throws<ArgumentException>(() => file.CopyTo("x", new float[4]));
        Assert.StartsWith($"{path}: tensor 'x' has 3 elements but the destination holds 4", wrong.Message);
    }

    [Fact]
    public void HalfPrecisionTensorsAreConvertedToFloat()
    {
        using var dir = new TemporaryDirectory();
        // bfloat16 1, -3, +inf, 2^-126 (the top halves of the floats); IEEE half 1, -2, 65504, 2^-24 (the smallest subnormal).
        ushort[] bf16 = [0x3F80, 0xC040, 0x7F80, 0x0080];
        ushort[] f16 = [0x3C00, 0xC000, 0x7BFF, 0x0001];
        byte[] data = bf16.Concat(f16).SelectMany(BitConverter.GetBytes).ToArray();
        string path = RawSafetensors.Write(dir.File("half.safetensors"),
            """{"b":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]},"h":{"dtype":"F16","shape":[2,2],"data_offsets":[8,16]}}""", data);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { 1f, -3f, float.PositiveInfinity, MathF.Pow(2, -126) }, file.ReadFloat32("b"));
        Assert.Equal(new[] { 1f, -2f, 65504f, MathF.Pow(2, -24) }, file.ReadFloat32("h"));
    }

    [Fact]
    public void NamesFollowTheDataNotTheHeaderOrder()
    {
        // The reference writer may list tensors in any order; the data order is the order they were saved in.
        using var dir = new TemporaryDirectory();
        string path = RawSafetensors.Write(dir.File("order.safetensors"),
            """{"second":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"first":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""",
            new byte[] { 10, 20 });

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new[] { "first", "second" }, file.Names);
        Assert.Equal(new byte[] { 20 }, file.ReadUInt8("second"));
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void ReadingATensorAsAnotherKindFailsWithItsDType()
    {
        using var dir = new TemporaryDirectory();
        string path = dir.File("kinds.safetensors");
        new SafetensorsWriter().AddFloat32("w", new[] { 1f }, 1).AddInt64("step", new[] { 1L }, 1).Write(path);
        using var file = SafetensorsFile.Open(path);

        Assert.Equal($"{path}: tensor 'step' is I64, not a floating-point dtype (F64, F32, F16 or BF16)",
            Assert.Throws<SafetensorsFormatException>(() => file.ReadFloat32("step")).Message);
        Assert.Equal($"{path}: tensor 'w' is F32; ReadInt64 reads I64 only",
            Assert.Throws<SafetensorsFormatException>(() => file.ReadInt64("w")).Message);
        Assert.Equal($"{path}: tensor 'w' is F32; ReadUInt8 reads U8 only",
            Assert.Throws<SafetensorsFormatException>(() => file.ReadUInt8("w")).Message);
    }

    [Fact]
    public void TheWriterRejectsAmbiguousTensors()
    {
        var writer = new SafetensorsWriter().AddFloat32("a", new[] { 1f, 2f }, 2);
        Assert.StartsWith("A tensor named 'a' was already added.", Assert.Throws<ArgumentException>(() => writer.AddFloat32("a", new[] { 1f }, 1)).Message);
        Assert.StartsWith("tensor 'b': shape [2, 2] holds 4 elements but the data has 3.", Assert.Throws<ArgumentException>(() => writer.AddFloat32("b", new float[3], 2, 2)).Message);
        Assert.StartsWith("'__metadata__' is reserved", Assert.Throws<ArgumentException>(() => writer.AddUInt8("__metadata__", new byte[1], 1)).Message);
        Assert.StartsWith("tensor 'c': shape [-1] has a negative dimension.", Assert.Throws<ArgumentException>(() => writer.AddFloat32("c", new float[1], -1)).Message);
    }
}
