namespace DinoCompiled;

/// <summary>One transformer block as compiled.</summary>
/// <param name="Heads">Attention heads.</param>
/// <param name="MlpHidden">Width of the MLP's hidden layer.</param>
/// <param name="QkvBias">Whether qkv has a bias.</param>
/// <param name="DropPath">The block's stochastic-depth rate in the student.</param>
public sealed record BlockInfo(int Heads, int MlpHidden, bool QkvBias, double DropPath);
