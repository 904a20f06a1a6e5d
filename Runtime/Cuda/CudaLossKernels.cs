using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The launches of the generated DINO-loss kernels of a model's module: the teacher's centred, sharpened softmax, then
/// one block per student row writing its loss (a double) and its gradient. Only the launch geometry and the arguments
/// live here, so any <see cref="CudaOps"/> (the device's, or the tests' emulator) runs them.
/// </summary>
internal sealed class CudaLossKernels
{
    private readonly int _teacherSoftmax, _studentLoss;

    /// <param name="source">The model's module.</param>
    /// <param name="bf16">Whether the student's gradient is written as bf16 (<c>dino_loss_student_bf16</c>, the bf16 head's
    /// operand; the row losses are the fp32 kernel's bit for bit).</param>
    public CudaLossKernels(CudaModuleSource source, bool bf16 = false)
    {
        _teacherSoftmax = source.IndexOf("dino_loss_teacher");
        _studentLoss = source.IndexOf(bf16 ? "dino_loss_student_bf16" : "dino_loss_student");
    }

    /// <summary>
    /// Queues the teacher's softmax and the student's loss and gradient for <paramref name="batch"/> images; the gradient is
    /// that of the mean loss over <paramref name="gradientBatch"/> images (the global batch of a data-parallel step, whose
    /// ranks' gradients then sum to the whole; <paramref name="batch"/> on one rank).
    /// </summary>
    public void Queue(CudaOps ops, Ptr student, Ptr teacher, Ptr center, Ptr teacherProbabilities, Ptr dStudent, Ptr rowLoss, int batch, int crops,
        float studentTemperature, float teacherTemperature, int gradientBatch)
    {
        ops.Launch(_teacherSoftmax, (uint)(2 * batch), 1, 512, 0, new KernelArgs().Ptr(teacher).Ptr(center).Ptr(teacherProbabilities).Float(1f / teacherTemperature));
        float gradScale = (float)(1.0 / (studentTemperature * 2.0 * (crops - 1) * gradientBatch));
        ops.Launch(_studentLoss, (uint)(crops * batch), 1, 512, 0,
            new KernelArgs().Ptr(student).Ptr(teacherProbabilities).Ptr(dStudent).Ptr(rowLoss).Int(batch).Float(1f / studentTemperature).Float(gradScale));
    }
}
