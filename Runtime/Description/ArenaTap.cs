namespace DinoCompiled;

/// <summary>
/// A forward tensor the compiled backbone leaves intact in its arena when the forward returns, for the runtime to read:
/// a block's output (<c>blocks.N</c>: every token of the residual stream, before the final norm) or its attention
/// probabilities (<c>blocks.N.attn.probs</c>: [heads, tokens, tokens] per image, each row a softmax). The generator
/// keeps taps live to the end of the forward, so no later node of the forward writes over them.
/// </summary>
/// <param name="Name">The tap's name.</param>
/// <param name="Offset">Floats per unit before the tap: it starts at FixedFloats + Offset × units of the arena.</param>
/// <param name="RowsPerUnit">Rows per image.</param>
/// <param name="Cols">Floats per row.</param>
public sealed record ArenaTap(string Name, long Offset, int RowsPerUnit, int Cols)
{
    /// <summary>Floats per image.</summary>
    public long CountPerUnit => (long)RowsPerUnit * Cols;
}
