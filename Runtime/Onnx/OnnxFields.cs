// Field numbers of the onnx.proto messages the exporter writes, copied from onnx/onnx.proto
// (github.com/onnx/onnx, read at commit f7546912); the wire format names fields only by number.
namespace DinoCompiled.Onnx;

/// <summary>Protobuf field numbers of ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto and the type messages.</summary>
internal static class OnnxFields
{
    // ModelProto
    public const int ModelIrVersion = 1;
    public const int ModelProducerName = 2;
    public const int ModelProducerVersion = 3;
    public const int ModelDocString = 6;
    public const int ModelGraph = 7;
    public const int ModelOpsetImport = 8;

    // OperatorSetIdProto
    public const int OpsetDomain = 1;
    public const int OpsetVersion = 2;

    // GraphProto
    public const int GraphNode = 1;
    public const int GraphName = 2;
    public const int GraphInitializer = 5;
    public const int GraphInput = 11;
    public const int GraphOutput = 12;

    // NodeProto
    public const int NodeInput = 1;
    public const int NodeOutput = 2;
    public const int NodeName = 3;
    public const int NodeOpType = 4;
    public const int NodeAttribute = 5;

    // AttributeProto and its AttributeType values (FLOAT = 1, INT = 2, INTS = 7)
    public const int AttributeName = 1;
    public const int AttributeFloat = 2;
    public const int AttributeInt = 3;
    public const int AttributeInts = 8;
    public const int AttributeType = 20;
    public const int AttributeTypeFloat = 1;
    public const int AttributeTypeInt = 2;
    public const int AttributeTypeInts = 7;

    // TensorProto
    public const int TensorDims = 1;
    public const int TensorDataType = 2;
    public const int TensorName = 8;
    public const int TensorRawData = 9;

    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    public const int ValueInfoName = 1;
    public const int ValueInfoType = 2;
    public const int TypeTensorType = 1;
    public const int TensorTypeElementType = 1;
    public const int TensorTypeShape = 2;
    public const int ShapeDimension = 1;
    public const int DimensionValue = 1;
    public const int DimensionParameter = 2;
}
