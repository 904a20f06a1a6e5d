using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Cuda;

/// <summary>
/// The GPU side of a generated CUDA schedule: GEMMs on cuBLASLt in the chosen precision, the model's kernels from its
/// loaded module, and the runtime's exact-GELU kernels after the GEMMs that need them (see <see cref="CudaSupportKernels"/>).
/// </summary>
public sealed class CudaScheduleOps : CudaOps, IDisposable
{
    private readonly CudaDevice _device;
    private readonly CublasLtGemm _gemm;
    private readonly CudaModule _support;
    private readonly int _geluForward, _geluBackward;

    /// <summary>Binds a device, a model's module and a precision.</summary>
    public CudaScheduleOps(CudaDevice device, CudaModule model, CudaPrecision precision)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        Module = model ?? throw new ArgumentNullException(nameof(model));
        _gemm = new CublasLtGemm(device, precision);
        var support = new CudaModuleSource("dino-support", CudaSupportKernels.Source, [CudaSupportKernels.GeluForward, CudaSupportKernels.GeluBackward]);
        _support = device.LoadModule(support);
        _geluForward = support.IndexOf(CudaSupportKernels.GeluForward);
        _geluBackward = support.IndexOf(CudaSupportKernels.GeluBackward);
    }

    /// <summary>The model's module.</summary>
    public CudaModule Module { get; }

    /// <summary>The GEMM precision.</summary>
    public CudaPrecision Precision => _gemm.Precision;

    /// <summary>Distinct GEMM shapes planned so far (all are planned by the first step).</summary>
    public int GemmPlans => _gemm.PlanCount;

    /// <inheritdoc/>
    public override void Gemm(int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta,
        CudaGemmEpilogue epilogue, Ptr bias, Ptr aux, int auxLd)
    {
        switch (epilogue)
        {
            case CudaGemmEpilogue.None:
                _gemm.Run(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, default);
                break;
            case CudaGemmEpilogue.Bias:
                _gemm.Run(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias);
                break;
            case CudaGemmEpilogue.BiasGeluAux:
                if (beta != 0) throw new ArgumentException("A GELU epilogue does not accumulate into C.", nameof(beta));
                _gemm.Run(m, n, k, a, lda, transA, b, ldb, transB, aux, auxLd, 0f, bias);
                Elementwise(_geluForward, new KernelArgs().Ptr(aux).Int(auxLd).Ptr(c).Int(ldc).Int(m).Int(n), (long)m * n);
                break;
            case CudaGemmEpilogue.GeluBackwardAux:
                if (beta != 0) throw new ArgumentException("A GELU-gradient epilogue does not accumulate into C.", nameof(beta));
                _gemm.Run(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, 0f, default);
                Elementwise(_geluBackward, new KernelArgs().Ptr(c).Int(ldc).Ptr(aux).Int(auxLd).Int(m).Int(n), (long)m * n);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(epilogue), epilogue, "Unknown GEMM epilogue.");
        }
    }

    /// <inheritdoc/>
    public override void TypedGemm(CudaGemmDataTypes types, int m, int n, int k, Ptr a, int lda, bool transA, Ptr b, int ldb, bool transB, Ptr c, int ldc, float beta, Ptr bias) =>
        _gemm.Run(types, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, beta, bias);

    /// <inheritdoc/>
    public override void Launch(int kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args) =>
        Module.Launch(kernel, gridX, gridY, blockX, sharedBytes, args);

    /// <summary>Launches one of the model's kernels by name (the step kernels: loss, clipping, AdamW, EMA).</summary>
    public void Launch(string kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args) =>
        Module.Launch(Module.Source.IndexOf(kernel), gridX, gridY, blockX, sharedBytes, args);

    private void Elementwise(int kernel, in KernelArgs args, long count)
    {
        long blocks = Math.Min((count + CudaSupportKernels.BlockSize - 1) / CudaSupportKernels.BlockSize, 65535L * 8);
        _support.Launch(kernel, (uint)Math.Max(1, blocks), 1, CudaSupportKernels.BlockSize, 0, args);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _gemm.Dispose();
        _support.Dispose();
    }
}
