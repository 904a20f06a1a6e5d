namespace DinoCompiled.Compiled;

/// <summary>
/// A float pointer the generated code can pass around and offset without an <c>unsafe</c> context, so a project that
/// declares models need not allow unsafe code. Only the Runtime (which is unsafe) turns it back into a pointer.
/// </summary>
public readonly unsafe struct Ptr : System.IEquatable<Ptr>
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

    /// <summary>Whether both point at the same address.</summary>
    public bool Equals(Ptr other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Ptr other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ((nuint)_value).GetHashCode();

    /// <summary>Same address.</summary>
    public static bool operator ==(Ptr left, Ptr right) => left.Equals(right);

    /// <summary>Different addresses.</summary>
    public static bool operator !=(Ptr left, Ptr right) => !left.Equals(right);
}
