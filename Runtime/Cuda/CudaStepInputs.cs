using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>What one DINO step on the GPU reads besides the weights; every pointer is a device address.</summary>
public readonly record struct CudaStepInputs
{
    /// <summary>The global crops [2·batch, C, global, global], crop-major.</summary>
    public Ptr GlobalCrops { get; init; }

    /// <summary>The local crops [locals·batch, C, local, local], crop-major.</summary>
    public Ptr LocalCrops { get; init; }

    /// <summary>Student drop-path scales of the global group [depth × 2, 2·batch].</summary>
    public Ptr GlobalDropScales { get; init; }

    /// <summary>Student drop-path scales of the local group [depth × 2, locals·batch].</summary>
    public Ptr LocalDropScales { get; init; }

    /// <summary>The running center [K].</summary>
    public Ptr Center { get; init; }

    /// <summary>Student temperature.</summary>
    public float StudentTemperature { get; init; }

    /// <summary>Teacher temperature of this epoch.</summary>
    public float TeacherTemperature { get; init; }
}
