namespace DinoCompiled.Generator.Model;

/// <summary>One transformer block of the canonical model.</summary>
internal sealed record BlockSpec(int Heads, int MlpHidden, bool QkvBias, double DropPath);
