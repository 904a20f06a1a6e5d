using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The order of one compiled DINO forward/backward on the GPU, the same as the CPU's <c>DinoStep</c>: the teacher on the
/// global crops, the student on each crop group, the head once on all rows, the loss kernels, then the head's and each
/// group's backward into the cleared gradient buffer. It only queues work on a <see cref="CudaOps"/>, so the device
/// step runs it on cuBLASLt and the module, and the tests run the very same sequence on the CPU emulator.
/// <para>
/// A bf16 layout (<see cref="CudaStepLayout.Bf16"/>) runs the bf16 schedules: the teacher's forward-only schedule on the
/// EMA's bf16 copy, the student's training schedules on AdamW's, and a bf16 logits' gradient; the features, logits,
/// row losses and parameter gradients stay fp32 either way.
/// </para>
/// </summary>
/// <typeparam name="TModel">A model compiled by the generator with its CUDA module.</typeparam>
internal static class CudaStepSequence<TModel> where TModel : ICudaDinoModel
{
    /// <summary>
    /// Queues the step; <paramref name="clearGradients"/> zeroes the flat gradient buffer (a memset on the device's stream).
    /// <paramref name="headGradientsDone"/>, when given, is called once the head's backward is queued and before the
    /// backbone's: from then on nothing of the step writes the head's gradients (the flat buffer's tail, from the head's
    /// first parameter), so a data-parallel step starts their all-reduce there.
    /// </summary>
    public static void Queue(CudaOps ops, CudaLossKernels loss, CudaStepLayout layout, in CudaStepBuffers buffers, in CudaStepWeights weights,
        in Training.StepInputs inputs, Action clearGradients, Action? headGradientsDone = null)
    {
        var a = TModel.Description.Architecture;
        int d = a.EmbedDim;
        bool bf16 = layout.Bf16;
        if (bf16 && (weights.StudentBf16.IsNull || weights.TeacherBf16.IsNull))
            throw new ArgumentException("A bf16 step needs the bf16 copies of the student and the teacher.", nameof(weights));
        var teacherBackbone = new SegmentBuffers
        {
            Parameters = weights.Teacher, ParametersBf16 = weights.TeacherBf16, Arena = buffers.GlobalArena, Units = layout.GlobalRows, Input = inputs.GlobalCrops,
            Output = buffers.TeacherFeatures,
        };
        var teacherHead = new SegmentBuffers
        {
            Parameters = weights.Teacher, ParametersBf16 = weights.TeacherBf16, Arena = buffers.HeadArena, Units = layout.GlobalRows, Input = buffers.TeacherFeatures,
            Output = buffers.TeacherLogits,
        };
        if (bf16)
        {
            ops.BeginSegment("teacher " + a.GlobalCrop, a.GlobalCrop);
            TModel.BackboneForwardOnlyCudaBf16(a.GlobalCrop, teacherBackbone, ops);
            ops.BeginSegment("teacher head", 0);
            TModel.HeadForwardOnlyCudaBf16(teacherHead, ops);
        }
        else
        {
            TModel.BackboneForwardCuda(a.GlobalCrop, teacherBackbone, ops);
            TModel.HeadForwardCuda(teacherHead, ops);
        }

        var globalGroup = new SegmentBuffers
        {
            Parameters = weights.Student, ParametersBf16 = weights.StudentBf16, Gradients = weights.Gradients, Arena = buffers.GlobalArena, Units = layout.GlobalRows,
            Input = inputs.GlobalCrops, Output = buffers.Features, OutputGradient = buffers.FeatureGradients, DropScales = inputs.GlobalDropScales,
        };
        var localGroup = new SegmentBuffers
        {
            Parameters = weights.Student, ParametersBf16 = weights.StudentBf16, Gradients = weights.Gradients, Arena = buffers.LocalArena, Units = layout.LocalRows,
            Input = inputs.LocalCrops, Output = buffers.Features + (long)layout.GlobalRows * d, OutputGradient = buffers.FeatureGradients + (long)layout.GlobalRows * d,
            DropScales = inputs.LocalDropScales,
        };
        var head = new SegmentBuffers
        {
            Parameters = weights.Student, ParametersBf16 = weights.StudentBf16, Gradients = weights.Gradients, Arena = buffers.HeadArena, Units = layout.Rows,
            Input = buffers.Features, Output = buffers.Logits, OutputGradient = buffers.LogitGradients, InputGradient = buffers.FeatureGradients,
        };

        if (bf16)
        {
            ops.BeginSegment("student " + a.GlobalCrop, a.GlobalCrop);
            TModel.BackboneForwardCudaBf16(a.GlobalCrop, globalGroup, ops);
            if (layout.LocalCrops > 0)
            {
                ops.BeginSegment("student " + a.LocalCrop, a.LocalCrop);
                TModel.BackboneForwardCudaBf16(a.LocalCrop, localGroup, ops);
            }
            ops.BeginSegment("student head", 0);
            TModel.HeadForwardCudaBf16(head, ops);
        }
        else
        {
            TModel.BackboneForwardCuda(a.GlobalCrop, globalGroup, ops);
            if (layout.LocalCrops > 0) TModel.BackboneForwardCuda(a.LocalCrop, localGroup, ops);
            TModel.HeadForwardCuda(head, ops);
        }
        ops.BeginSegment("loss", -1);
        loss.Queue(ops, buffers.Logits, buffers.TeacherLogits, inputs.Center, buffers.TeacherProbabilities, buffers.LogitGradients, buffers.RowLosses,
            layout.Batch, layout.Crops, inputs.StudentTemperature, inputs.TeacherTemperature, layout.GradientBatch);

        clearGradients();
        if (bf16)
        {
            ops.BeginSegment("student head", 0);
            TModel.HeadBackwardCudaBf16(head, ops);
            headGradientsDone?.Invoke();
            if (layout.LocalCrops > 0)
            {
                ops.BeginSegment("student " + a.LocalCrop, a.LocalCrop);
                TModel.BackboneBackwardCudaBf16(a.LocalCrop, localGroup, ops);
            }
            ops.BeginSegment("student " + a.GlobalCrop, a.GlobalCrop);
            TModel.BackboneBackwardCudaBf16(a.GlobalCrop, globalGroup, ops);
            // What the trainer queues next (the loss read-back, clipping, AdamW, the EMA, the center) is outside the schedules.
            ops.BeginSegment("optimizer", -1);
        }
        else
        {
            TModel.HeadBackwardCuda(head, ops);
            headGradientsDone?.Invoke();
            if (layout.LocalCrops > 0) TModel.BackboneBackwardCuda(a.LocalCrop, localGroup, ops);
            TModel.BackboneBackwardCuda(a.GlobalCrop, globalGroup, ops);
        }
    }
}
