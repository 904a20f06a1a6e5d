using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>
/// What one DINO step reads besides the weights: the crops, the drop-path scales, the center and the temperatures. On the
/// GPU every pointer is a device address; value equality tells the GPU step when its captured CUDA graph still fits.
/// </summary>
public readonly record struct StepInputs
{
    /// <summary>The global crops, [2·batch, C, global, global], crop-major (all images' first global crop, then the second).</summary>
    public Ptr GlobalCrops { get; init; }

    /// <summary>The local crops, [locals·batch, C, local, local], crop-major.</summary>
    public Ptr LocalCrops { get; init; }

    /// <summary>Student drop-path scales for the global group, [depth × 2, 2·batch]; null for none.</summary>
    public Ptr GlobalDropScales { get; init; }

    /// <summary>Student drop-path scales for the local group, [depth × 2, locals·batch]; null for none.</summary>
    public Ptr LocalDropScales { get; init; }

    /// <summary>The running center of the teacher's outputs, [K].</summary>
    public Ptr Center { get; init; }

    /// <summary>Student temperature (0.1).</summary>
    public float StudentTemperature { get; init; }

    /// <summary>Teacher temperature for this epoch.</summary>
    public float TeacherTemperature { get; init; }
}
