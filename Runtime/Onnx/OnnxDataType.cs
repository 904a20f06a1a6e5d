namespace DinoCompiled.Onnx;

/// <summary>The element types the exporter writes, numbered as onnx.proto's <c>TensorProto.DataType</c>.</summary>
internal enum OnnxDataType
{
    /// <summary>float32.</summary>
    Float = 1,

    /// <summary>int64 (shapes and indices).</summary>
    Int64 = 7,
}
