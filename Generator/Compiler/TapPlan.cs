namespace DinoCompiled.Generator.Compiler;

/// <summary>Where a tap lives in its segment's arena: per-unit offset and shape (rows per unit × columns), in floats.</summary>
internal sealed record TapPlan(string Name, long Offset, int RowsPerUnit, int Cols);
