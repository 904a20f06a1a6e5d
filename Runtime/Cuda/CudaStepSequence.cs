using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The order of one compiled DINO forward/backward on the GPU, the same as the CPU's <c>DinoStep</c>: the teacher on the
/// global crops, the student on each crop group, the head once on all rows, the loss kernels, then the head's and each
/// group's backward into the cleared gradient buffer. It only queues work on a <see cref="CudaOps"/>, so the device
/// step runs it on cuBLASLt and the module, and the tests run the very same sequence on the CPU emulator.
/// </summary>
/// <typeparam name="TModel">A model compiled by the generator with its CUDA module.</typeparam>
internal static class CudaStepSequence<TModel> where TModel : ICudaDinoModel
{
    /// <summary>Queues the step; <paramref name="clearGradients"/> zeroes the flat gradient buffer (a memset on the device's stream).</summary>
    public static void Queue(CudaOps ops, CudaLossKernels loss, CudaStepLayout layout, in CudaStepBuffers buffers, Ptr student, Ptr teacher, Ptr gradients,
        in Training.StepInputs inputs, Action clearGradients)
    {
        var a = TModel.Description.Architecture;
        int d = a.EmbedDim;
        TModel.BackboneForwardCuda(a.GlobalCrop, new SegmentBuffers
        {
            Parameters = teacher, Arena = buffers.GlobalArena, Units = layout.GlobalRows, Input = inputs.GlobalCrops, Output = buffers.TeacherFeatures,
        }, ops);
        TModel.HeadForwardCuda(new SegmentBuffers
        {
            Parameters = teacher, Arena = buffers.HeadArena, Units = layout.GlobalRows, Input = buffers.TeacherFeatures, Output = buffers.TeacherLogits,
        }, ops);

        var globalGroup = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients, Arena = buffers.GlobalArena, Units = layout.GlobalRows, Input = inputs.GlobalCrops,
            Output = buffers.Features, OutputGradient = buffers.FeatureGradients, DropScales = inputs.GlobalDropScales,
        };
        var localGroup = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients, Arena = buffers.LocalArena, Units = layout.LocalRows, Input = inputs.LocalCrops,
            Output = buffers.Features + (long)layout.GlobalRows * d, OutputGradient = buffers.FeatureGradients + (long)layout.GlobalRows * d,
            DropScales = inputs.LocalDropScales,
        };
        var head = new SegmentBuffers
        {
            Parameters = student, Gradients = gradients, Arena = buffers.HeadArena, Units = layout.Rows, Input = buffers.Features, Output = buffers.Logits,
            OutputGradient = buffers.LogitGradients, InputGradient = buffers.FeatureGradients,
        };

        TModel.BackboneForwardCuda(a.GlobalCrop, globalGroup, ops);
        if (layout.LocalCrops > 0) TModel.BackboneForwardCuda(a.LocalCrop, localGroup, ops);
        TModel.HeadForwardCuda(head, ops);
        loss.Queue(ops, buffers.Logits, buffers.TeacherLogits, inputs.Center, buffers.TeacherProbabilities, buffers.LogitGradients, buffers.RowLosses,
            layout.Batch, layout.Crops, inputs.StudentTemperature, inputs.TeacherTemperature);

        clearGradients();
        TModel.HeadBackwardCuda(head, ops);
        if (layout.LocalCrops > 0) TModel.BackboneBackwardCuda(a.LocalCrop, localGroup, ops);
        TModel.BackboneBackwardCuda(a.GlobalCrop, globalGroup, ops);
    }
}
