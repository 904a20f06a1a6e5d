using System.Collections.Immutable;

namespace DinoCompiled.Onnx;

/// <summary>One operator application in the graph (a <c>NodeProto</c> of the default domain).</summary>
/// <param name="Name">A name unique in the graph, for error messages and profiles.</param>
/// <param name="OpType">The ONNX operator (<c>MatMul</c>, <c>LayerNormalization</c>).</param>
/// <param name="Inputs">Input value names, in the operator's order.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Attributes">The operator's attributes.</param>
internal sealed record OnnxNode(
    string Name,
    string OpType,
    ImmutableArray<string> Inputs,
    ImmutableArray<string> Outputs,
    ImmutableArray<OnnxAttribute> Attributes)
{
    /// <summary>The bytes of the <c>NodeProto</c>.</summary>
    public byte[] Encode() => ProtobufWriter.Encode(w =>
    {
        foreach (string input in Inputs) w.WriteString(OnnxFields.NodeInput, input);
        foreach (string output in Outputs) w.WriteString(OnnxFields.NodeOutput, output);
        w.WriteString(OnnxFields.NodeName, Name);
        w.WriteString(OnnxFields.NodeOpType, OpType);
        foreach (var attribute in Attributes) w.WriteBytes(OnnxFields.NodeAttribute, attribute.Encode());
    });
}
