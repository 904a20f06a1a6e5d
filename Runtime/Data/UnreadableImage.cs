namespace DinoCompiled.Data;

/// <summary>An image file that could not be decoded, and why (one line).</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">What went wrong, e.g. <c>not an image of a known format (...)</c>.</param>
public sealed record UnreadableImage(string Path, string Reason)
{
    /// <summary>The line a run prints: <c>path: reason</c>.</summary>
    public override string ToString() => Path + ": " + Reason;
}
