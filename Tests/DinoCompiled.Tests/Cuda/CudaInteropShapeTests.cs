using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DinoCompiled.Cuda;
using DinoCompiled.Cuda.Interop;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The bindings' shape without calling them: the exact entry points each class imports and from which logical library,
/// the struct layouts cuBLASLt writes into, and the header values the GEMM and device code will pass.
/// </summary>
public sealed class CudaInteropShapeTests
{
    [Fact]
    public void TheDriverImportsTheVersionedEntryPoints()
    {
        AssertImports(typeof(CudaDriverNative), "cuda",
            "cuInit", "cuDriverGetVersion", "cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetAttribute", "cuDeviceGetName",
            "cuDeviceTotalMem_v2", "cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRelease_v2", "cuCtxSetCurrent", "cuCtxSynchronize",
            "cuModuleLoadData", "cuModuleUnload", "cuModuleGetFunction", "cuFuncGetAttribute", "cuFuncSetAttribute",
            "cuMemAlloc_v2", "cuMemFree_v2", "cuMemAllocHost_v2", "cuMemFreeHost", "cuMemcpyHtoDAsync_v2", "cuMemcpyDtoHAsync_v2",
            "cuMemcpyDtoDAsync_v2", "cuMemsetD32Async", "cuStreamCreate", "cuStreamDestroy_v2", "cuStreamSynchronize",
            "cuEventCreate", "cuEventRecord", "cuEventSynchronize", "cuEventElapsedTime", "cuEventDestroy_v2", "cuStreamWaitEvent",
            "cuStreamBeginCapture_v2", "cuStreamEndCapture", "cuGraphInstantiateWithFlags", "cuGraphLaunch", "cuGraphExecDestroy",
            "cuGraphDestroy", "cuLaunchKernel", "cuGetErrorName");
    }

    [Fact]
    public void NvrtcImportsItsEntryPoints()
    {
        AssertImports(typeof(NvrtcNative), "nvrtc",
            "nvrtcVersion", "nvrtcCreateProgram", "nvrtcCompileProgram", "nvrtcGetProgramLogSize", "nvrtcGetProgramLog",
            "nvrtcGetCUBINSize", "nvrtcGetCUBIN", "nvrtcGetPTXSize", "nvrtcGetPTX", "nvrtcDestroyProgram", "nvrtcGetErrorString");
    }

    [Fact]
    public void CublasLtImportsItsEntryPoints()
    {
        AssertImports(typeof(CublasLtNative), "cublasLt",
            "cublasLtCreate", "cublasLtDestroy", "cublasLtGetVersion", "cublasLtMatmulDescCreate", "cublasLtMatmulDescDestroy",
            "cublasLtMatmulDescSetAttribute", "cublasLtMatrixLayoutCreate", "cublasLtMatrixLayoutDestroy", "cublasLtMatrixLayoutSetAttribute",
            "cublasLtMatmulPreferenceCreate", "cublasLtMatmulPreferenceDestroy", "cublasLtMatmulPreferenceSetAttribute",
            "cublasLtMatmulAlgoGetHeuristic", "cublasLtMatmul");
    }

    [Fact]
    public void CuLaunchKernelTakesElevenArgumentsInCudaHsOrder()
    {
        var parameters = typeof(CudaDriverNative).GetMethod(nameof(CudaDriverNative.cuLaunchKernel))!.GetParameters();
        Assert.Equal(
            [typeof(nint), typeof(uint), typeof(uint), typeof(uint), typeof(uint), typeof(uint), typeof(uint), typeof(uint), typeof(nint), typeof(void**), typeof(void**)],
            parameters.Select(p => p.ParameterType));
    }

    [Fact]
    public void TheHeuristicResultHasCublasLtsLayout()
    {
        Assert.Equal(64, Unsafe.SizeOf<CublasLtMatmulAlgo>());
        Assert.Equal(96, Unsafe.SizeOf<CublasLtMatmulHeuristicResult>());
        Assert.Equal(64, (int)Marshal.OffsetOf<CublasLtMatmulHeuristicResult>(nameof(CublasLtMatmulHeuristicResult.WorkspaceSize)));
        Assert.Equal(72, (int)Marshal.OffsetOf<CublasLtMatmulHeuristicResult>(nameof(CublasLtMatmulHeuristicResult.State)));
        Assert.Equal(76, (int)Marshal.OffsetOf<CublasLtMatmulHeuristicResult>(nameof(CublasLtMatmulHeuristicResult.WavesCount)));
        Assert.Equal(80, (int)Marshal.OffsetOf<CublasLtMatmulHeuristicResult>(nameof(CublasLtMatmulHeuristicResult.Reserved)));
    }

    [Fact]
    public void HeaderValuesTheGpuCodeUses()
    {
        Assert.Equal(75, (int)CuDeviceAttribute.ComputeCapabilityMajor);
        Assert.Equal(76, (int)CuDeviceAttribute.ComputeCapabilityMinor);
        Assert.Equal(16, (int)CuDeviceAttribute.MultiprocessorCount);
        Assert.Equal(97, (int)CuDeviceAttribute.MaxSharedMemoryPerBlockOptin);
        Assert.Equal(8, (int)CuFunctionAttribute.MaxDynamicSharedSizeBytes);
        Assert.Equal(4, (int)CuFunctionAttribute.NumRegs);

        Assert.Equal(68, (int)CublasComputeType.Compute32F);
        Assert.Equal(77, (int)CublasComputeType.Compute32FFastTf32);
        Assert.Equal(75, (int)CublasComputeType.Compute32FFast16BF);
        Assert.Equal(0, (int)CudaDataType.R32F);
        Assert.Equal(14, (int)CudaDataType.R16BF);

        Assert.Equal(3, (int)CublasLtMatmulDescAttribute.TransA);
        Assert.Equal(4, (int)CublasLtMatmulDescAttribute.TransB);
        Assert.Equal(7, (int)CublasLtMatmulDescAttribute.Epilogue);
        Assert.Equal(8, (int)CublasLtMatmulDescAttribute.BiasPointer);
        Assert.Equal(11, (int)CublasLtMatmulDescAttribute.EpilogueAuxPointer);
        Assert.Equal(12, (int)CublasLtMatmulDescAttribute.EpilogueAuxLd);
        Assert.Equal(26, (int)CublasLtMatmulDescAttribute.BiasDataType);

        Assert.Equal(1u, (uint)CublasLtEpilogue.Default);
        Assert.Equal(4u, (uint)CublasLtEpilogue.Bias);
        Assert.Equal(32u | 128u | 4u, (uint)CublasLtEpilogue.GeluAuxBias);
        Assert.Equal(64u | 128u, (uint)CublasLtEpilogue.DGelu);
        Assert.Equal(64u | 128u | 16u, (uint)CublasLtEpilogue.DGeluBGrad);
        Assert.Equal(512u, (uint)CublasLtEpilogue.BGradB);

        Assert.Equal(1, (int)CublasLtMatrixLayoutAttribute.Order);
        Assert.Equal(4, (int)CublasLtMatrixLayoutAttribute.Ld);
        Assert.Equal(1, (int)CublasLtOrder.Row);
        Assert.Equal(1, (int)CublasLtMatmulPreferenceAttribute.MaxWorkspaceBytes);
        Assert.Equal(2, (int)CuStreamCaptureMode.Relaxed);
    }

    private static void AssertImports(Type natives, string library, params string[] entryPoints)
    {
        var imports = natives.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (Method: m, Import: m.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(x => x.Import is not null)
            .ToList();
        Assert.Equal(entryPoints.Order(StringComparer.Ordinal), imports.Select(x => x.Import!.EntryPoint ?? x.Method.Name).Order(StringComparer.Ordinal));
        Assert.All(imports, x => Assert.Equal(library, x.Import!.LibraryName));
        // Every call but the two that return a version or a string returns its library's status code.
        Assert.All(imports.Where(x => x.Method.Name is not ("cublasLtGetVersion" or "nvrtcGetErrorString")),
            x => Assert.Equal(typeof(int), x.Method.ReturnType));
    }
}
