using System.Collections.Immutable;

namespace DinoCompiled.Onnx;

/// <summary>A graph input or output: its name, element type and shape (a <c>ValueInfoProto</c> with a tensor type).</summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="ElementType">Its element type.</param>
/// <param name="Shape">Its dimensions, fixed or named.</param>
internal sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, ImmutableArray<OnnxDimension> Shape)
{
    /// <summary>The bytes of the <c>ValueInfoProto</c>.</summary>
    public byte[] Encode() => ProtobufWriter.Encode(w =>
    {
        w.WriteString(OnnxFields.ValueInfoName, Name);
        w.WriteMessage(OnnxFields.ValueInfoType, type =>
            type.WriteMessage(OnnxFields.TypeTensorType, tensor =>
            {
                tensor.WriteInt64(OnnxFields.TensorTypeElementType, (long)ElementType);
                tensor.WriteMessage(OnnxFields.TensorTypeShape, shape =>
                {
                    foreach (var dim in Shape) shape.WriteBytes(OnnxFields.ShapeDimension, dim.Encode());
                });
            }));
    });
}
