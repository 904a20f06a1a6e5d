using System;
using System.IO;
using System.Reflection;

namespace DinoCompiled.Onnx;

/// <summary>Writes a <c>ModelProto</c>: IR version, producer, the default-domain opset, and the graph.</summary>
internal static class OnnxModelWriter
{
    /// <summary>IR version 8 (ONNX 1.10 onwards): every runtime that has opset 17 reads it.</summary>
    public const long IrVersion = 8;

    /// <summary>The producer name the file carries.</summary>
    public const string ProducerName = "DinoCompiled";

    /// <summary>Writes the model to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, OnnxGraph graph, int opset, string docString)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(graph);
        var writer = new ProtobufWriter(stream);
        writer.WriteInt64(OnnxFields.ModelIrVersion, IrVersion);
        writer.WriteString(OnnxFields.ModelProducerName, ProducerName);
        string? version = typeof(OnnxModelWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(version)) writer.WriteString(OnnxFields.ModelProducerVersion, version);
        writer.WriteString(OnnxFields.ModelDocString, docString);
        // The default domain ("") is written out rather than left empty so that readers that require the field are served.
        writer.WriteMessage(OnnxFields.ModelOpsetImport, w =>
        {
            w.WriteString(OnnxFields.OpsetDomain, "");
            w.WriteInt64(OnnxFields.OpsetVersion, opset);
        });
        writer.WriteLengthPrefix(OnnxFields.ModelGraph, graph.EncodedLength);
        graph.WriteTo(writer);
    }
}
