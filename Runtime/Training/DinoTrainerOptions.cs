using System;
using System.IO;
using DinoCompiled.Data;

namespace DinoCompiled.Training;

/// <summary>
/// What a <see cref="DinoTrainer{TModel}"/> trains on, with which recipe, and where it writes: everything
/// <c>dino train</c> takes on its command line, as properties.
/// </summary>
public sealed record DinoTrainerOptions
{
    /// <summary>
    /// The training images: a folder of images (recursive, unlabeled: RankMe is reported in place of k-NN), a folder
    /// with <c>train/</c> and <c>val/</c> (or <c>test/</c>) class folders, or Fashion-MNIST-style IDX files.
    /// </summary>
    public required string Data { get; init; }

    /// <summary>Labelled images for the k-NN evaluation (class folders or IDX), normalized as the training images; null: <see cref="Data"/>'s own labels, if any.</summary>
    public string? EvaluationData { get; init; }

    /// <summary>The run folder: checkpoint.safetensors, metrics.jsonl and training.png. Null: <c>runs/MODEL</c>.</summary>
    public string? RunFolder { get; init; }

    /// <summary>The recipe: <see cref="TrainingOptions.For"/> a preset, changed with <c>with { ... }</c>.</summary>
    public TrainingOptions Recipe { get; init; } = new();

    /// <summary>
    /// Pretrained weights for the backbone of a new run: timm/DINO keys in safetensors, or one of our checkpoints (its
    /// teacher). The head keeps its initialization. Not with <see cref="ResumeFrom"/>.
    /// </summary>
    public string? InitializeFrom { get; init; }

    /// <summary>A checkpoint of this run to continue exactly (same recipe and seed), mid-epoch too.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Whether to evaluate the teacher before the first step.</summary>
    public bool EvaluateInitialization { get; init; } = true;

    /// <summary>Stop once this many steps are done in all, with a checkpoint to resume from.</summary>
    public long MaxSteps { get; init; } = long.MaxValue;

    /// <summary>
    /// Compute threads while the run trains and evaluates (the CPU kernels' pool is process-wide: set for the run, restored
    /// after it; results are bitwise the same for any count); null: leave the pool as it is (the processor count by default).
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Threads that decode and augment images ahead of the steps.</summary>
    public int DataWorkers { get; init; } = 2;

    /// <summary>What a corrupt, unreadable or oversized image does: stop the run, or be skipped and reported as a note.</summary>
    public UnreadableImagePolicy OnUnreadable { get; init; } = UnreadableImagePolicy.Stop;

    /// <summary>Images larger than this many pixels (read from the header, before decoding) are unreadable.</summary>
    public long MaxPixels { get; init; } = ImageFolderOptions.DefaultMaxPixels;

    /// <summary>
    /// The ranks this process trains with (<see cref="Distributed.Communicators.Open"/>): each rank computes its shard of
    /// every global batch of <see cref="TrainingOptions.BatchSize"/> images, which must split into equal shards; rank 0
    /// writes the run folder, evaluates and reports. Null: a single process. The caller owns it (MPI is finalized once
    /// per process).
    /// </summary>
    public Distributed.ICommunicator? Communicator { get; init; }

    /// <summary>Opens the temporary file a checkpoint is written to before its atomic rename; null: a <see cref="FileStream"/>.</summary>
    public Func<string, Stream>? OpenCheckpointFile { get; init; }
}
