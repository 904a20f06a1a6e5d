namespace DinoCompiled.Compiled;

/// <summary>
/// A float pointer the generated code can pass around and offset without an <c>unsafe</c> context, so a project that
/// declares models need not allow unsafe code. Only the Runtime (which is unsafe) turns it back into a pointer.
/// </summary>
public readonly unsafe struct Ptr
{
    private readonly float* _value;

    /// <summary>Wraps a pointer.</summary>
    public Ptr(float* value) => _value = value;

    /// <summary>Whether it is null (no buffer: the teacher's drop-path scales).</summary>
    public bool IsNull => _value == null;

    /// <summary>The pointer.</summary>
    public static implicit operator float*(Ptr p) => p._value;

    /// <summary>Offsets by a number of floats.</summary>
    public static Ptr operator +(Ptr p, long floats) => new(p._value + floats);
}
