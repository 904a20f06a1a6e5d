using System;
using System.IO;
using DinoCompiled.Models;
using DinoCompiled.Onnx;
using DinoCompiled.Tests.Checkpoints;
using Xunit;

namespace DinoCompiled.Tests.Onnx;

/// <summary>
/// What the exported file declares (read back with a separate protobuf reader and by ONNX Runtime), the protobuf
/// encoding itself, and the exporter's argument checks. Field numbers below are onnx.proto's.
/// </summary>
public sealed class OnnxModelFileTests
{
    [Fact]
    public void TheModelDeclaresIrVersion8TheProducerAndOpset17()
    {
        var model = ReadBack(FmnistTiny.Description, new OnnxExportOptions());

        Assert.Equal([8L], model.Varints(1)); // ir_version
        Assert.Equal(["DinoCompiled"], model.Strings(2)); // producer_name
        var opset = model.Message(8); // opset_import
        Assert.Equal([""], opset.Strings(1));
        Assert.Equal([17L], opset.Varints(2));
    }

    [Fact]
    public void ALaterOpsetIsDeclaredAsAsked()
    {
        var model = ReadBack(FmnistTiny.Description, new OnnxExportOptions { Opset = 18 });
        Assert.Equal([18L], model.Message(8).Varints(2));
    }

    [Fact]
    public void TheInputAndOutputHaveADynamicBatchNamedBatch()
    {
        var a = FmnistTiny.Description.Architecture;
        var graph = ReadBack(FmnistTiny.Description, new OnnxExportOptions()).Message(7);

        var input = graph.Message(11);
        Assert.Equal(["images"], input.Strings(1));
        var inputType = input.Message(2).Message(1); // TypeProto.tensor_type
        Assert.Equal([1L], inputType.Varints(1)); // FLOAT
        var dims = inputType.Message(2).Messages(1);
        Assert.Equal(4, dims.Count);
        Assert.Equal(["batch"], dims[0].Strings(2)); // dim_param
        Assert.Empty(dims[0].Varints(1));
        Assert.Equal([(long)a.Channels], dims[1].Varints(1));
        Assert.Equal([(long)a.GlobalCrop], dims[2].Varints(1));
        Assert.Equal([(long)a.GlobalCrop], dims[3].Varints(1));

        var output = graph.Message(12);
        Assert.Equal(["features"], output.Strings(1));
        var outputDims = output.Message(2).Message(1).Message(2).Messages(1);
        Assert.Equal(["batch"], outputDims[0].Strings(2));
        Assert.Equal([(long)a.EmbedDim], outputDims[1].Varints(1));
    }

    [Fact]
    public void OnnxRuntimeSeesTheBatchAsSymbolic()
    {
        var model = FmnistTiny.Description;
        using var folder = new TemporaryDirectory();
        using var parameters = OnnxExportFixture.Parameters(model, seed: 3);
        using var session = OnnxExportFixture.Session(OnnxExportFixture.Export(folder, model, parameters, new OnnxExportOptions { Tokens = OnnxTokenOutput.All }));

        var input = session.InputMetadata["images"];
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal(new[] { -1, 1, 28, 28 }, input.Dimensions);
        Assert.Equal(new[] { -1, 50, 128 }, session.OutputMetadata["features"].Dimensions);
    }

    [Fact]
    public void TheWriteLeavesNoTemporaryFileAndReplacesAnOldOne()
    {
        var model = FmnistTiny.Description;
        using var folder = new TemporaryDirectory();
        using var parameters = OnnxExportFixture.Parameters(model, seed: 3);
        string path = folder.File("model.onnx");
        File.WriteAllText(path, "old");

        BackboneOnnxExporter.Write(path, model, parameters.Span, null);

        Assert.NotEqual("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Theory]
    [InlineData(30, "Crop 30 is not a positive multiple of fmnist-tiny's patch size 4.")]
    [InlineData(0, "Crop 0 is not a positive multiple of fmnist-tiny's patch size 4.")]
    public void ACropThatIsNotAMultipleOfThePatchIsRefused(int crop, string message)
    {
        using var parameters = OnnxExportFixture.Parameters(FmnistTiny.Description, seed: 3);
        var error = Assert.Throws<ArgumentException>(() => WriteToMemory(parameters.Span, new OnnxExportOptions { Crop = crop }));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void AParameterBufferOfTheWrongLengthIsRefused()
    {
        var model = FmnistTiny.Description;
        var parameters = new float[model.Parameters.FlatLength - 1];
        var error = Assert.Throws<ArgumentException>(() => WriteToMemory(parameters, new OnnxExportOptions()));
        Assert.StartsWith($"The parameter buffer has {parameters.Length} floats; fmnist-tiny needs {model.Parameters.FlatLength}", error.Message);
        Assert.Equal("parameters", error.ParamName);
    }

    [Fact]
    public void AnOpsetBelow17IsRefused()
    {
        using var parameters = OnnxExportFixture.Parameters(FmnistTiny.Description, seed: 3);
        var error = Assert.Throws<ArgumentException>(() => WriteToMemory(parameters.Span, new OnnxExportOptions { Opset = 16 }));
        Assert.StartsWith("Opset 16 is too old", error.Message);
    }

    [Fact]
    public void ARefusedExportWritesNoFile()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.File("model.onnx");
        Assert.Throws<ArgumentException>(() => BackboneOnnxExporter.Write(path, FmnistTiny.Description, new float[1], null));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData(0L, new byte[] { 0x08, 0x00 })]
    [InlineData(1L, new byte[] { 0x08, 0x01 })]
    [InlineData(300L, new byte[] { 0x08, 0xAC, 0x02 })]
    [InlineData(-1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Int64FieldsAreVarintsWithProtobufsTwosComplement(long value, byte[] expected) =>
        Assert.Equal(expected, ProtobufWriter.Encode(w => w.WriteInt64(1, value)));

    [Fact]
    public void PackedInt64sAreOneLengthDelimitedRun() =>
        // Field 8, wire type 2: tag 0x42; three varints 3, 270 (0x8E 0x02), 86942 (0x9E 0xA7 0x05): six bytes.
        Assert.Equal(new byte[] { 0x42, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05 }, ProtobufWriter.Encode(w => w.WritePackedInt64(8, [3, 270, 86942])));

    [Fact]
    public void FloatsAreFixed32LittleEndian() =>
        Assert.Equal(new byte[] { 0x15, 0x00, 0x00, 0x80, 0x3F }, ProtobufWriter.Encode(w => w.WriteFloat(2, 1f)));

    private static void WriteToMemory(ReadOnlySpan<float> parameters, OnnxExportOptions options)
    {
        using var stream = new MemoryStream();
        BackboneOnnxExporter.WriteTo(stream, FmnistTiny.Description, parameters, options);
    }

    private static ProtobufFields ReadBack(ModelDescription model, OnnxExportOptions options)
    {
        using var parameters = OnnxExportFixture.Parameters(model, seed: 3);
        using var stream = new MemoryStream();
        BackboneOnnxExporter.WriteTo(stream, model, parameters.Span, options);
        return new ProtobufFields(stream.ToArray());
    }
}
