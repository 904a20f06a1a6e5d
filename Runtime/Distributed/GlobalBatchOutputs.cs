using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Distributed;

/// <summary>
/// The teacher's and the student's outputs of a whole global batch, gathered from every rank's shard and put back in the
/// places one process would have computed them (crop-major rows), for the collapse monitor, which must see the global
/// batch. Host buffers; allocated when first needed, since the monitor samples only some steps.
/// </summary>
public sealed unsafe class GlobalBatchOutputs : IDisposable
{
    private readonly ICommunicator _communicator;
    private readonly int _shardImages, _crops, _outDim;
    private NativeBuffer? _gathered, _teacher, _student;

    /// <summary>Outputs of <paramref name="communicator"/>'s ranks, each with <paramref name="shardImages"/> images of <paramref name="crops"/> crops.</summary>
    public GlobalBatchOutputs(ICommunicator communicator, int shardImages, int crops, int outDim)
    {
        _communicator = communicator;
        _shardImages = shardImages;
        _crops = crops;
        _outDim = outDim;
    }

    /// <summary>The global teacher outputs [2 · B, K] of the last <see cref="Gather"/>.</summary>
    public ReadOnlySpan<float> Teacher => _teacher is null ? default : _teacher.Span;

    /// <summary>The global student outputs [crops · B, K] of the last <see cref="Gather"/>.</summary>
    public ReadOnlySpan<float> Student => _student is null ? default : _student.Span;

    /// <summary>All-gathers this rank's <paramref name="teacher"/> [2 · shard, K] and <paramref name="student"/> [crops · shard, K] (host memory).</summary>
    public void Gather(float* teacher, float* student)
    {
        int ranks = _communicator.Size;
        long teacherFloats = 2L * _shardImages * _outDim, studentFloats = (long)_crops * _shardImages * _outDim;
        _gathered ??= new NativeBuffer(ranks * studentFloats);
        _teacher ??= new NativeBuffer(ranks * teacherFloats);
        _student ??= new NativeBuffer(ranks * studentFloats);
        _communicator.AllGather(teacher, teacherFloats, _gathered.Data);
        ShardSlices.Interleave(_gathered.Data, _teacher.Data, ranks, 2, _shardImages, _outDim);
        _communicator.AllGather(student, studentFloats, _gathered.Data);
        ShardSlices.Interleave(_gathered.Data, _student.Data, ranks, _crops, _shardImages, _outDim);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _gathered?.Dispose();
        _teacher?.Dispose();
        _student?.Dispose();
    }
}
