using System;
using System.Buffers.Binary;
using System.IO;
using DinoCompiled.Checkpoints;
using DinoCompiled.Tests.Fixtures;
using Xunit;

namespace DinoCompiled.Tests.Checkpoints;

/// <summary>Files written by PyTorch/numpy (tools/fixtures/make_fixtures.py) read back with the values Python put in.</summary>
public sealed class SafetensorsInteropTests
{
    [Fact]
    public void EveryDTypeWrittenByPythonReadsBackWithItsValues()
    {
        using var file = SafetensorsFile.Open(FixtureFile.PathOf(FixtureFile.SafetensorsDTypes));

        Assert.Equal(new[] { "f32", "f64", "f16", "f16.as_f32", "bf16", "bf16.as_f32", "i64", "u8", "scalar", "empty" }, file.Names);
        Assert.Equal("[2, 3]", file.TensorInfo("f32").ShapeText);
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f, 1.5f }, file.ReadFloat32("f32"));
        Assert.Equal(new[] { (float)0.1, -2.5f, 3f, (float)1e-3 }, file.ReadFloat32("f64"));

        // PyTorch's own conversions of 0.1, -2.5, 65504, 6e-8, -0.0, 1/3 are stored beside the half-precision tensors.
        Assert.Equal(SafetensorsDType.F16, file.TensorInfo("f16").DType);
        Assert.Equal(file.ReadFloat32("f16.as_f32"), file.ReadFloat32("f16"));
        Assert.Equal(new[] { 0.0999755859375f, -2.5f, 65504f, MathF.Pow(2, -24), -0f, 0.333251953125f }, file.ReadFloat32("f16"));
        Assert.True(float.IsNegative(file.ReadFloat32("f16")[4]), "-0.0 keeps its sign");
        Assert.Equal(SafetensorsDType.BF16, file.TensorInfo("bf16").DType);
        Assert.Equal(file.ReadFloat32("bf16.as_f32"), file.ReadFloat32("bf16"));
        Assert.Equal(new[] { 0.10009765625f, -2.5f, 65536f }, file.ReadFloat32("bf16")[..3]);

        Assert.Equal(new[] { -3L, 0L, 1L << 40 }, file.ReadInt64("i64"));
        Assert.Equal(new byte[] { 0, 7, 255 }, file.ReadUInt8("u8"));
        Assert.Empty(file.TensorInfo("scalar").Shape);
        Assert.Equal(new[] { 42f }, file.ReadFloat32("scalar"));
        Assert.Equal("[0, 3]", file.TensorInfo("empty").ShapeText);
        Assert.StartsWith("1.", file.Metadata["torch_version"]);
    }

    [Theory]
    [InlineData(FixtureFile.FmnistTiny)]
    [InlineData(FixtureFile.ReducedVit)]
    [InlineData(FixtureFile.BicubicResize)]
    public void PythonsFilesHaveAnAlignedHeaderAndDataPackedEndToEnd(string fixture)
    {
        string path = FixtureFile.PathOf(fixture);
        using var file = SafetensorsFile.Open(path);
        Span<byte> prefix = stackalloc byte[8];
        using (var stream = File.OpenRead(path)) stream.ReadExactly(prefix);
        long dataStart = 8 + (long)BinaryPrimitives.ReadUInt64LittleEndian(prefix);

        Assert.Equal(0, dataStart % 8);
        long end = 0;
        foreach (var tensor in file.Tensors)
        {
            Assert.Equal(SafetensorsDType.F32, tensor.DType);
            Assert.Equal(end, tensor.DataBegin);
            end = tensor.DataEnd;
        }
        Assert.Equal(new FileInfo(path).Length, dataStart + end);
    }
}
