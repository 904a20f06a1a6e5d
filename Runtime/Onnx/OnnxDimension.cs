namespace DinoCompiled.Onnx;

/// <summary>One dimension of a declared shape: a fixed size (<c>dim_value</c>) or a named, run-time one (<c>dim_param</c>).</summary>
/// <param name="Value">The size, when fixed.</param>
/// <param name="Parameter">The name, when dynamic (<c>batch</c>).</param>
internal readonly record struct OnnxDimension(long Value, string? Parameter)
{
    /// <summary>A fixed size.</summary>
    public static OnnxDimension Fixed(long value) => new(value, null);

    /// <summary>A dimension known only at run time, under this name.</summary>
    public static OnnxDimension Named(string parameter) => new(0, parameter);

    /// <summary>The bytes of a <c>TensorShapeProto.Dimension</c>.</summary>
    public byte[] Encode()
    {
        var (value, parameter) = (Value, Parameter);
        return ProtobufWriter.Encode(w =>
        {
            if (parameter is null) w.WriteInt64(OnnxFields.DimensionValue, value);
            else w.WriteString(OnnxFields.DimensionParameter, parameter);
        });
    }
}
