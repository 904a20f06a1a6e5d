using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>The device addresses of the buffers of one compiled step, each sized by <see cref="CudaStepLayout"/>.</summary>
internal readonly record struct CudaStepBuffers
{
    public Ptr GlobalArena { get; init; }
    public Ptr LocalArena { get; init; }
    public Ptr HeadArena { get; init; }
    public Ptr Features { get; init; }
    public Ptr FeatureGradients { get; init; }
    public Ptr Logits { get; init; }
    public Ptr LogitGradients { get; init; }
    public Ptr TeacherFeatures { get; init; }
    public Ptr TeacherLogits { get; init; }
    public Ptr TeacherProbabilities { get; init; }

    /// <summary>One double per student row.</summary>
    public Ptr RowLosses { get; init; }
}
