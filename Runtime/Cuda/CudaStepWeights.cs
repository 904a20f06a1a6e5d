using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The flat parameter buffers one compiled step reads and writes on the device: the fp32 student and teacher, the fp32
/// gradient it accumulates into, and, for a bf16 step, the bf16 copies of the student (AdamW's) and the teacher (the EMA's)
/// in the same layout.
/// </summary>
internal readonly record struct CudaStepWeights
{
    public Ptr Student { get; init; }
    public Ptr Teacher { get; init; }
    public Ptr Gradients { get; init; }
    public Ptr StudentBf16 { get; init; }
    public Ptr TeacherBf16 { get; init; }
}
