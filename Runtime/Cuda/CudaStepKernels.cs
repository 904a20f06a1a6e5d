using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// Launches the generated step kernels of a model's module (docs/CUDA.md gives their signatures and geometry) other than
/// the loss's (<see cref="CudaLossKernels"/>): the center update, per-tensor clipping (squared norms per chunk, norms,
/// scale), AdamW over the flat buffers with the host's per-tensor rows, and the teacher EMA; in a bf16 run their variants
/// that also write the bf16 weight copies, and the conversion that makes a copy whole after the host sets the weights.
/// Every reduction has a fixed order, so a step's numbers do not depend on timing.
/// </summary>
internal sealed class CudaStepKernels : IDisposable
{
    private readonly CudaScheduleOps _ops;
    private readonly int _center, _squaredNorms, _norms, _clip, _adamW, _ema, _adamWBf16, _emaBf16, _convertBf16;
    private readonly int _outDim, _tensors, _parameterChunks;
    private readonly long _flatLength;
    private readonly DeviceBuffer _partials, _tensorNorms;

    public CudaStepKernels(CudaDevice device, CudaScheduleOps ops)
    {
        _ops = ops;
        var source = ops.Module.Source;
        _center = source.IndexOf("dino_center_update");
        _squaredNorms = source.IndexOf("dino_grad_sqnorm");
        _norms = source.IndexOf("dino_grad_norms");
        _clip = source.IndexOf("dino_grad_clip");
        _adamW = source.IndexOf("dino_adamw");
        _ema = source.IndexOf("dino_teacher_ema");
        _adamWBf16 = source.IndexOf("dino_adamw_bf16");
        _emaBf16 = source.IndexOf("dino_teacher_ema_bf16");
        _convertBf16 = source.IndexOf("dino_convert_f32_to_bf16");
        _outDim = checked((int)source.Define("DINO_K"));
        _tensors = checked((int)source.Define("DINO_TENSORS"));
        _parameterChunks = checked((int)source.Define("DINO_PARAM_CHUNKS"));
        _flatLength = source.Define("DINO_FLAT_LENGTH");
        _partials = device.Allocate(2L * _parameterChunks); // doubles
        _tensorNorms = device.Allocate(2L * _tensors);       // doubles
    }

    /// <summary>center = m·center + (1 − m)·mean of the teacher's rows.</summary>
    public void UpdateCenter(Ptr teacher, Ptr center, int rows, float momentum) =>
        _ops.Launch(_center, (uint)((_outDim + 255) / 256), 1, 256, 0, new KernelArgs().Ptr(teacher).Ptr(center).Int(rows).Float(momentum));

    /// <summary>DINO's per-tensor clipping of the flat gradient buffer.</summary>
    public void ClipPerTensor(Ptr gradients, float maxNorm)
    {
        _ops.Launch(_squaredNorms, (uint)_parameterChunks, 1, 256, 0, new KernelArgs().Ptr(gradients).Ptr(_partials.Ptr));
        _ops.Launch(_norms, (uint)((_tensors + 127) / 128), 1, 128, 0, new KernelArgs().Ptr(_partials.Ptr).Ptr(_tensorNorms.Ptr));
        _ops.Launch(_clip, (uint)_parameterChunks, 1, 256, 0, new KernelArgs().Ptr(gradients).Ptr(_tensorNorms.Ptr).Float(maxNorm));
    }

    /// <summary>One AdamW update of every active tensor; <paramref name="hyper"/> holds <see cref="Training.AdamW.Advance"/>'s rows on the device.</summary>
    public void AdamW(Ptr parameters, Ptr gradients, Ptr firstMoment, Ptr secondMoment, Ptr hyper, float beta1, float beta2, float epsilon) =>
        _ops.Launch(_adamW, (uint)_parameterChunks, 1, 256, 0,
            new KernelArgs().Ptr(parameters).Ptr(gradients).Ptr(firstMoment).Ptr(secondMoment).Ptr(hyper).Float(beta1).Float(beta2).Float(epsilon));

    /// <summary>teacher = m·teacher + (1 − m)·student over the whole flat buffer.</summary>
    public void TeacherEma(Ptr teacher, Ptr student, float momentum) =>
        _ops.Launch(_ema, (uint)Math.Clamp((_flatLength + 1023) / 1024, 1, 8192), 1, 256, 0,
            new KernelArgs().Ptr(teacher).Ptr(student).Long(_flatLength).Float(momentum));

    /// <summary><see cref="AdamW"/>, bit for bit, that also rewrites the bf16 copy of every parameter it updates.</summary>
    public void AdamWBf16(Ptr parameters, Ptr parametersBf16, Ptr gradients, Ptr firstMoment, Ptr secondMoment, Ptr hyper, float beta1, float beta2, float epsilon) =>
        _ops.Launch(_adamWBf16, (uint)_parameterChunks, 1, 256, 0,
            new KernelArgs().Ptr(parameters).Ptr(parametersBf16).Ptr(gradients).Ptr(firstMoment).Ptr(secondMoment).Ptr(hyper).Float(beta1).Float(beta2).Float(epsilon));

    /// <summary><see cref="TeacherEma"/>, bit for bit, that also rewrites the whole bf16 copy of the teacher.</summary>
    public void TeacherEmaBf16(Ptr teacher, Ptr teacherBf16, Ptr student, float momentum) =>
        _ops.Launch(_emaBf16, (uint)Math.Clamp((_flatLength + 1023) / 1024, 1, 8192), 1, 256, 0,
            new KernelArgs().Ptr(teacher).Ptr(teacherBf16).Ptr(student).Long(_flatLength).Float(momentum));

    /// <summary>The bf16 copy (nearest even) of a whole flat fp32 buffer.</summary>
    public void ConvertToBf16(Ptr weights, Ptr weightsBf16) =>
        _ops.Launch(_convertBf16, (uint)Math.Clamp((_flatLength / 4 + 255) / 256, 1, 16384), 1, 256, 0, new KernelArgs().Ptr(weights).Ptr(weightsBf16).Long(_flatLength));

    public void Dispose()
    {
        _partials.Dispose();
        _tensorNorms.Dispose();
    }
}
