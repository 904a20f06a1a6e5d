namespace DinoCompiled.Checkpoints;

/// <summary>The element types this reader and writer support, named as in a safetensors header.</summary>
public enum SafetensorsDType
{
    /// <summary>IEEE double.</summary>
    F64,

    /// <summary>IEEE single.</summary>
    F32,

    /// <summary>IEEE half (read only, converted to float).</summary>
    F16,

    /// <summary>bfloat16: the top 16 bits of a float (read only, converted to float).</summary>
    BF16,

    /// <summary>Signed 64-bit integer (step counters, RNG state).</summary>
    I64,

    /// <summary>Unsigned byte (raw blobs).</summary>
    U8,
}
