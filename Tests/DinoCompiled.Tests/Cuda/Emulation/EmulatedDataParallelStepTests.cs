using System;
using System.Linq;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;
using DinoCompiled.Data;
using DinoCompiled.Distributed;
using DinoCompiled.Models;
using DinoCompiled.Training;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Cuda.Emulation;

/// <summary>
/// The data-parallel GPU step without a GPU or NCCL: the generated fp32 schedules run on the CPU emulator through
/// <see cref="CudaStepSequence{TModel}"/> once on a global batch and once per rank on its shard, as the GPU ranks of
/// <see cref="CudaTrainer{TModel}"/> run them (shard crops, drop path drawn for the global batch and sliced by
/// <see cref="ShardDropPath"/>, the loss gradient normalized by the global batch, the center from per-rank column sums).
/// What NCCL would do, the sum over the ranks, is done here on the host. The sums must be the whole batch's gradient,
/// center and loss up to summation order, and the head's gradients must be final when the sequence's
/// <c>headGradientsDone</c> hook fires (the point where the head's all-reduce starts) while the backbone's are untouched.
/// </summary>
public sealed unsafe class EmulatedDataParallelStepTests(ITestOutputHelper log)
{
    private const int Batch = 2, Ranks = 2, LocalCrops = 2, Seed = 23;

    [EmulatorFact]
    public void TwoShardsSumToTheGlobalBatchsGradientCenterAndLoss()
    {
        var description = FmnistTiny.Description;
        var a = description.Architecture;
        var table = description.Parameters;
        long flat = table.FlatLength;
        long headOffset = table.First(p => p.Part == ModelPart.Head).Offset;
        var random = new Random(Seed);
        using var student = new NativeBuffer(flat);
        using var teacher = new NativeBuffer(flat);
        ParameterInitializer.Initialize(student.Data, table, Seed);
        for (long i = 0; i < flat; i++) teacher.Data[i] = student.Data[i] * (float)(1 + 0.05 * (random.NextDouble() - 0.5));
        long globalPixels = (long)a.Channels * a.GlobalCrop * a.GlobalCrop, localPixels = (long)a.Channels * a.LocalCrop * a.LocalCrop;
        using var globalCrops = EmulatedCudaStepTests.Random(random, 2L * Batch * globalPixels, 2);
        using var localCrops = EmulatedCudaStepTests.Random(random, (long)LocalCrops * Batch * localPixels, 2);
        using var center = EmulatedCudaStepTests.Random(random, a.Head.OutDim, 0.5);
        var ops = new EmulatedCudaOps(FmnistTiny.CudaModule);

        // The whole batch on one GPU.
        using var globalDrop = new NativeBuffer(2L * a.Depth * 2 * Batch);
        using var localDrop = new NativeBuffer(2L * a.Depth * LocalCrops * Batch);
        // The first step whose draws drop a branch in both groups, so that slicing the wrong rows would show.
        long stepIndex = 0;
        for (; ; stepIndex++)
        {
            Assert.True(stepIndex < 1000, "no step of the first 1000 drops a branch in both groups");
            DropPathSampler.Fill(globalDrop.Data, a, 2 * Batch, Seed, stepIndex, group: 0);
            DropPathSampler.Fill(localDrop.Data, a, LocalCrops * Batch, Seed, stepIndex, group: 1);
            if (globalDrop.Span.Contains(0f) && localDrop.Span.Contains(0f)) break;
        }
        var whole = new CudaStepLayout(description, Batch, LocalCrops);
        using var one = new EmulatedStepBuffers(whole, flat);
        Run(ops, whole, one, student, teacher, Inputs(globalCrops.Ptr, localCrops.Ptr, globalDrop.Ptr, localDrop.Ptr, center.Ptr), null);
        double wholeLoss = CudaDinoStep<FmnistTiny>.LossFromRowLosses(RowLosses(one, whole), Batch, LocalCrops);
        using var wholeCenter = Copy(center);
        ops.Launch("dino_center_update", (uint)((a.Head.OutDim + 255) / 256), 1, 256,
            new KernelArgs().Ptr(one.Step.TeacherLogits).Ptr(wholeCenter.Ptr).Int(whole.GlobalRows).Float(0.9f));

        // Each rank on its shard; the host sums what NCCL would.
        using var summedGradients = new NativeBuffer(flat);
        using var summedColumns = new NativeBuffer(2L * a.Head.OutDim); // doubles
        double summedLoss = 0;
        for (int rank = 0; rank < Ranks; rank++)
        {
            var shard = BatchShard.Of(Batch, rank, Ranks);
            using var shardGlobal = new NativeBuffer(2L * shard.Images * globalPixels);
            using var shardLocal = new NativeBuffer((long)LocalCrops * shard.Images * localPixels);
            ShardSlices.Slice(globalCrops.Data, shardGlobal.Data, 2, Batch, shard.Start, shard.Images, globalPixels);
            ShardSlices.Slice(localCrops.Data, shardLocal.Data, LocalCrops, Batch, shard.Start, shard.Images, localPixels);
            using var allGlobalDrop = new NativeBuffer(globalDrop.Length);
            using var allLocalDrop = new NativeBuffer(localDrop.Length);
            using var shardGlobalDrop = new NativeBuffer(2L * a.Depth * 2 * shard.Images);
            using var shardLocalDrop = new NativeBuffer(2L * a.Depth * LocalCrops * shard.Images);
            ShardDropPath.Fill(allGlobalDrop.Data, shardGlobalDrop.Data, a, 2, Batch, shard, Seed, stepIndex, group: 0);
            ShardDropPath.Fill(allLocalDrop.Data, shardLocalDrop.Data, a, LocalCrops, Batch, shard, Seed, stepIndex, group: 1);

            var layout = new CudaStepLayout(description, shard.Images, LocalCrops, gradientBatch: Batch);
            using var buffers = new EmulatedStepBuffers(layout, flat);
            float[]? headAtHook = null, backboneAtHook = null;
            Run(ops, layout, buffers, student, teacher, Inputs(shardGlobal.Ptr, shardLocal.Ptr, shardGlobalDrop.Ptr, shardLocalDrop.Ptr, center.Ptr), () =>
            {
                Assert.Null(headAtHook);
                headAtHook = buffers.Gradients.Span[(int)headOffset..].ToArray();
                backboneAtHook = buffers.Gradients.Span[..(int)headOffset].ToArray();
            });
            Assert.NotNull(headAtHook);
            Assert.True(headAtHook.AsSpan().SequenceEqual(buffers.Gradients.Span[(int)headOffset..]), $"rank {rank}: the head's gradients changed after the hook");
            Assert.All(backboneAtHook!, g => Assert.Equal(0f, g));
            Assert.True(EmulatedCudaStepTests.Norm(buffers.Gradients.Span[..(int)headOffset]) > 0, $"rank {rank}: the backbone's backward wrote nothing after the hook");

            for (long i = 0; i < flat; i++) summedGradients.Data[i] += buffers.Gradients.Data[i];
            using var columns = new NativeBuffer(2L * a.Head.OutDim);
            ops.Launch("dino_center_column_sums", (uint)((a.Head.OutDim + 255) / 256), 1, 256,
                new KernelArgs().Ptr(buffers.Step.TeacherLogits).Ptr(columns.Ptr).Int(layout.GlobalRows));
            for (int j = 0; j < a.Head.OutDim; j++) ((double*)summedColumns.Data)[j] += ((double*)columns.Data)[j];
            summedLoss += CudaDinoStep<FmnistTiny>.LossFromRowLosses(RowLosses(buffers, layout), shard.Images, LocalCrops);
        }
        using var shardedCenter = Copy(center);
        ops.Launch("dino_center_update_sums", (uint)((a.Head.OutDim + 255) / 256), 1, 256,
            new KernelArgs().Ptr(summedColumns.Ptr).Ptr(shardedCenter.Ptr).Long(2L * Batch).Float(0.9f));

        double worst = 0;
        string worstName = "";
        foreach (var p in table.Where(p => p.Trainable))
        {
            var expected = one.Gradients.Span.Slice((int)p.Offset, (int)p.Count);
            var actual = summedGradients.Span.Slice((int)p.Offset, (int)p.Count);
            if (EmulatedCudaStepTests.Norm(expected) == 0) continue;
            double error = CudaConformance.RelativeError(actual, expected);
            if (error > worst) (worst, worstName) = (error, p.Name);
        }
        double lossError = Math.Abs(summedLoss / Ranks - wholeLoss) / Math.Abs(wholeLoss);
        double centerError = CudaConformance.RelativeError(shardedCenter.Span, wholeCenter.Span);
        log.WriteLine($"{Ranks} shards of {Batch / Ranks} vs one batch of {Batch}: gradient worst {worst:E2} ({worstName}), loss {lossError:E2}, center {centerError:E2}");
        Assert.True(worst <= 1e-5, $"the shards' summed gradient differs from the batch's by {worst:E2} in {worstName}");
        Assert.True(lossError <= 1e-6, $"the mean of the shards' losses differs from the batch's by {lossError:E2}");
        Assert.True(centerError <= 1e-6, $"the center from the shards' column sums differs from the batch's by {centerError:E2}");
        Assert.True(EmulatedCudaStepTests.Norm(one.Gradients.Span[(int)headOffset..]) > 0 && EmulatedCudaStepTests.Norm(one.Gradients.Span[..(int)headOffset]) > 0);
    }

    private static StepInputs Inputs(Ptr globalCrops, Ptr localCrops, Ptr globalDrop, Ptr localDrop, Ptr center) => new()
    {
        GlobalCrops = globalCrops, LocalCrops = localCrops, GlobalDropScales = globalDrop, LocalDropScales = localDrop, Center = center,
        StudentTemperature = 0.1f, TeacherTemperature = 0.05f,
    };

    private static void Run(EmulatedCudaOps ops, CudaStepLayout layout, EmulatedStepBuffers buffers, NativeBuffer student, NativeBuffer teacher, in StepInputs inputs,
        Action? headGradientsDone)
    {
        var weights = new CudaStepWeights { Student = student.Ptr, Teacher = teacher.Ptr, Gradients = buffers.Gradients.Ptr };
        CudaStepSequence<FmnistTiny>.Queue(ops, new CudaLossKernels(FmnistTiny.CudaModule), layout, buffers.Step, weights, inputs, buffers.Gradients.Clear, headGradientsDone);
    }

    private static ReadOnlySpan<double> RowLosses(EmulatedStepBuffers buffers, CudaStepLayout layout) =>
        new((double*)(float*)buffers.Step.RowLosses, layout.Rows);

    private static NativeBuffer Copy(NativeBuffer source)
    {
        var copy = new NativeBuffer(source.Length);
        source.Span.CopyTo(copy.Span);
        return copy;
    }
}
