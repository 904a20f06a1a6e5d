using System;
using System.Collections.Generic;
using DinoCompiled.Compiled;
using DinoCompiled.Cuda;

namespace DinoCompiled.Tests.Cuda.Emulation;

/// <summary>
/// A <see cref="CudaOps"/> that runs a generated CUDA schedule on the CPU: the model's kernels (and the runtime's GELU
/// support kernels) in the emulator, the GEMMs in <see cref="HostGemm"/>, on host memory. Its GEMM epilogues are the
/// device's (<see cref="CudaScheduleOps"/>): the bias in the GEMM, the exact GELU and its derivative as the support
/// kernels after it.
/// </summary>
internal sealed unsafe class EmulatedCudaOps : CudaOps
{
    private readonly EmulatedModule _support;
    private readonly int _geluForward, _geluBackward;

    public EmulatedCudaOps(CudaModuleSource model)
    {
        Module = EmulatedModule.For(model);
        var support = new CudaModuleSource("dino-support", CudaSupportKernels.Source, [CudaSupportKernels.GeluForward, CudaSupportKernels.GeluBackward]);
        _support = EmulatedModule.For(support);
        _geluForward = support.IndexOf(CudaSupportKernels.GeluForward);
        _geluBackward = support.IndexOf(CudaSupportKernels.GeluBackward);
    }

    /// <summary>The model's emulated module.</summary>
    public EmulatedModule Module { get; }

    /// <summary>Launches and GEMMs run so far.</summary>
    public int Launches { get; private set; }

    public int Gemms { get; private set; }

    /// <summary>Seconds spent in each kernel (by name and geometry), to see where the emulator's time goes.</summary>
    public Dictionary<string, double> KernelSeconds { get; } = new();

    public override void Gemm(int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta,
        CudaGemmEpilogue epilogue, Ptr bias, Ptr aux, int auxLd)
    {
        Gemms++;
        switch (epilogue)
        {
            case CudaGemmEpilogue.None:
                HostGemm.Run(CudaGemmDataTypes.Float32, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, null);
                break;
            case CudaGemmEpilogue.Bias:
                HostGemm.Run(CudaGemmDataTypes.Float32, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias);
                break;
            case CudaGemmEpilogue.BiasGeluAux:
                if (beta != 0) throw new ArgumentException("A GELU epilogue does not accumulate into C.", nameof(beta));
                HostGemm.Run(CudaGemmDataTypes.Float32, m, n, k, a, lda, transA, b, ldb, transB, aux, auxLd, 0f, bias);
                Support(_geluForward, new KernelArgs().Ptr(aux).Int(auxLd).Ptr(c).Int(ldc).Int(m).Int(n), (long)m * n);
                break;
            case CudaGemmEpilogue.GeluBackwardAux:
                if (beta != 0) throw new ArgumentException("A GELU-gradient epilogue does not accumulate into C.", nameof(beta));
                HostGemm.Run(CudaGemmDataTypes.Float32, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, 0f, null);
                Support(_geluBackward, new KernelArgs().Ptr(c).Int(ldc).Ptr(aux).Int(auxLd).Int(m).Int(n), (long)m * n);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(epilogue), epilogue, "Unknown GEMM epilogue.");
        }
    }

    public override void TypedGemm(CudaGemmDataTypes types, int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias)
    {
        Gemms++;
        HostGemm.Run(types, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias);
    }

    public override void Launch(int kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args)
    {
        if (sharedBytes != 0) throw new NotSupportedException("The emulator has no dynamic shared memory; " + Module.Source.KernelNames[kernel] + " asked for " + sharedBytes + " bytes.");
        Launches++;
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        Module.Launch(kernel, gridX, gridY, blockX, args);
        string name = Module.Source.KernelNames[kernel] + $" ({gridX},{gridY})x{blockX}";
        KernelSeconds[name] = KernelSeconds.GetValueOrDefault(name) + System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Launches a step kernel of the model's module by name.</summary>
    public void Launch(string kernel, uint gridX, uint gridY, uint blockX, in KernelArgs args) => Launch(Module.Source.IndexOf(kernel), gridX, gridY, blockX, 0, args);

    // The device's grid for the support kernels (CudaScheduleOps.Elementwise).
    private void Support(int kernel, in KernelArgs args, long count)
    {
        long blocks = Math.Min((count + CudaSupportKernels.BlockSize - 1) / CudaSupportKernels.BlockSize, 65535L * 8);
        _support.Launch(kernel, (uint)Math.Max(1, blocks), 1, CudaSupportKernels.BlockSize, args);
    }
}
