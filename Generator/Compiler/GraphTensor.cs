namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// A tensor of the graph IR with a static shape: <see cref="RowsPerUnit"/> × <see cref="Cols"/> per unit of the batch
/// (an image of the crop group, or a row of the head), or a fixed <see cref="FixedCount"/> elements when
/// <see cref="RowsPerUnit"/> is 0. The batch is the only dimension known at run time.
/// </summary>
internal sealed class GraphTensor
{
    public GraphTensor(int id, string name, TensorRole role, int rowsPerUnit, int cols, long fixedCount = 0)
    {
        Id = id;
        Name = name;
        Role = role;
        RowsPerUnit = rowsPerUnit;
        Cols = cols;
        FixedCount = fixedCount;
    }

    public int Id { get; }
    public string Name { get; }
    public TensorRole Role { get; }
    public int RowsPerUnit { get; }
    public int Cols { get; }
    public long FixedCount { get; }

    /// <summary>Element offset into the parameter (or gradient) buffer, for parameter views.</summary>
    public long ParameterOffset { get; set; }

    /// <summary>The caller's buffer, for externals (<c>b.Input</c>).</summary>
    public string External { get; set; } = "";

    /// <summary>A gradient that is the same buffer as another tensor (the identity path of a residual add).</summary>
    public GraphTensor? AliasOf { get; set; }

    public bool IsFixed => RowsPerUnit == 0;

    /// <summary>Elements per unit of the batch (0 for fixed tensors).</summary>
    public long CountPerUnit => (long)RowsPerUnit * Cols;

    public GraphTensor Storage => AliasOf?.Storage ?? this;

    /// <summary>
    /// The name the runtime reads this forward tensor by after the forward (a block's output, its attention
    /// probabilities), or null. The memory planner keeps a tap live to the forward's end, so nothing overwrites it there.
    /// </summary>
    public string? Tap { get; set; }

    public override string ToString() => Name;
}
