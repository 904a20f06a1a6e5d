namespace DinoCompiled.Cuda;

/// <summary>What <see cref="CudaNcclCheck"/> found: the first difference from the single-GPU trainer, or none.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Precision">The schedules it ran.</param>
/// <param name="Engine">NCCL and its version.</param>
/// <param name="Steps">Steps run by each trainer.</param>
/// <param name="FirstDifference">Null when every loss, weight, moment and center value was identical.</param>
public sealed record CudaNcclCheckResult(string Model, CudaPrecision Precision, string Engine, int Steps, string? FirstDifference)
{
    /// <summary>Whether the NCCL step was the single-GPU step bit for bit.</summary>
    public bool Pass => FirstDifference is null;
}
