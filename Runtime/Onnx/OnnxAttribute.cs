using System.Collections.Immutable;

namespace DinoCompiled.Onnx;

/// <summary>One node attribute of the three kinds the backbone needs: an int, a float or a list of ints.</summary>
internal sealed class OnnxAttribute
{
    private readonly int _type;
    private readonly long _int;
    private readonly float _float;
    private readonly ImmutableArray<long> _ints;

    private OnnxAttribute(string name, int type, long intValue, float floatValue, ImmutableArray<long> ints)
    {
        Name = name;
        _type = type;
        _int = intValue;
        _float = floatValue;
        _ints = ints;
    }

    /// <summary>The attribute's name (<c>axis</c>, <c>perm</c>).</summary>
    public string Name { get; }

    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxFields.AttributeTypeInt, value, 0, default);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxFields.AttributeTypeFloat, 0, value, default);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxFields.AttributeTypeInts, 0, 0, ImmutableArray.Create(values));

    /// <summary>The bytes of the <c>AttributeProto</c>.</summary>
    public byte[] Encode() => ProtobufWriter.Encode(w =>
    {
        w.WriteString(OnnxFields.AttributeName, Name);
        // The type field is required since IR version 2: readers do not infer it from the filled value field.
        w.WriteInt64(OnnxFields.AttributeType, _type);
        switch (_type)
        {
            case OnnxFields.AttributeTypeInt: w.WriteInt64(OnnxFields.AttributeInt, _int); break;
            case OnnxFields.AttributeTypeFloat: w.WriteFloat(OnnxFields.AttributeFloat, _float); break;
            default: w.WritePackedInt64(OnnxFields.AttributeInts, _ints.AsSpan()); break;
        }
    });
}
