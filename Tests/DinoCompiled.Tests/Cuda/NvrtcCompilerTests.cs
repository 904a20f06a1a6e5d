using System;
using System.Linq;
using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// NVRTC for real: these compile (no GPU needed) with the libnvrtc found by probing, which also proves the resolver maps
/// the logical "nvrtc" import to a versioned soname (Debian installs only libnvrtc.so.11.2).
/// </summary>
public sealed class NvrtcCompilerTests
{
    private const string Source = """
        __device__ __noinline__ float helper(const float* p, int i)
        {
            float a[32];
            for (int j = 0; j < 32; j++) a[j] = p[j + i];
            return a[i % 32];
        }

        extern "C" __global__ void tiled(const float* x, float* y, int n)
        {
            __shared__ float tile[256];
            int i = threadIdx.x;
            tile[i] = x[i];
            __syncthreads();
            float a[64];  // indexed at run time below, so it lives on the local-memory stack
            for (int j = 0; j < 64; j++) a[j] = tile[(i + j) % 256];
            if (i < n) y[i] = a[(i * 7) % 64] + helper(x, i);
        }

        template <int N> __global__ void scale(float* y) { y[threadIdx.x] *= N; }
        template __global__ void scale<3>(float*);
        """;

    [NvrtcFact]
    public void TheVersionIsCuda112OrLater()
    {
        Assert.True(NvrtcCompiler.Version >= new Version(11, 2), $"NVRTC {NvrtcCompiler.Version}");
    }

    [NvrtcFact]
    public void ARealArchitectureGivesAnElfCubinAndAPtxasReport()
    {
        var result = NvrtcCompiler.Compile(Source, ["--gpu-architecture=sm_90", "--ptxas-options=-v", "-lineinfo", "--std=c++17", "-default-device"]);

        Assert.True(result.Cubin.Length > 1000, $"CUBIN of {result.Cubin.Length} bytes");
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, result.Cubin[..4]);
        Assert.Same(result.Cubin, result.Image);
        Assert.Contains(".entry tiled", result.PtxText, StringComparison.Ordinal);
        Assert.Equal(NvrtcCompiler.Version, result.NvrtcVersion);
        Assert.Equal("dino.cu", result.ProgramName);

        var tiled = result.Ptxas["tiled"];
        Assert.Equal("sm_90", tiled.Architecture);
        Assert.InRange(tiled.Registers, 1, 255);
        Assert.Equal(256 * sizeof(float), tiled.SharedMemoryBytes);
        Assert.True(tiled.StackFrameBytes >= 64 * sizeof(float), $"stack frame {tiled.StackFrameBytes} bytes");

        // The template instance keeps its mangled name; the device function is not a kernel.
        Assert.Equal(2, result.Ptxas.Kernels.Count);
        var scale = Assert.Single(result.Ptxas.Kernels, k => k.Name != "tiled");
        Assert.StartsWith("_Z", scale.Name, StringComparison.Ordinal);
        Assert.Equal(0, scale.SharedMemoryBytes);
    }

    [NvrtcFact]
    public void AVirtualArchitectureGivesPtxOnly()
    {
        var result = NvrtcCompiler.Compile(Source, ["--gpu-architecture=compute_90"], "ptx_only.cu");

        Assert.Empty(result.Cubin);
        Assert.Same(result.Ptx, result.Image);
        Assert.Equal(0, result.Ptx[^1]);
        Assert.Contains(".target sm_90", result.PtxText, StringComparison.Ordinal);
        Assert.Contains(".visible .entry tiled(", result.PtxText, StringComparison.Ordinal);
        Assert.Empty(result.Ptxas.Kernels);
    }

    [NvrtcFact]
    public void ABrokenSourceThrowsWithItsErrorLine()
    {
        const string broken = "extern \"C\" __global__ void k(float* y)\n{\n    y[0] = oops;\n}\n";
        var e = Assert.Throws<NvrtcCompileException>(() => NvrtcCompiler.Compile(broken, ["--gpu-architecture=sm_90"], "broken.cu"));

        Assert.Equal("nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION (6): broken.cu(3): error: identifier \"oops\" is undefined", e.Message);
        Assert.Equal(CudaLibrary.Nvrtc, e.Library);
        Assert.Equal(6, e.Code);
        Assert.Contains("1 error detected in the compilation of \"broken.cu\"", e.Log, StringComparison.Ordinal);
    }

    [NvrtcFact]
    public void AnInvalidOptionThrowsWithNvrtcsComplaint()
    {
        var e = Assert.Throws<NvrtcCompileException>(() => NvrtcCompiler.Compile("__global__ void k() {}", ["--gpu-architecture=sm_1"]));

        Assert.Equal(5, e.Code);
        Assert.StartsWith("nvrtcCompileProgram failed: NVRTC_ERROR_INVALID_OPTION (5): nvrtc: error: invalid value for --gpu-architecture", e.Message);
    }

    [NvrtcFact]
    public void TheRuntimesOwnOptionsCompileForBothTargetsItTries()
    {
        // The options CudaModuleCache loads every module with, for the CUBIN and the PTX fallback: an option NVRTC
        // rejects would fail every module load on a GPU, and no other test here uses exactly these.
        var module = new CudaModuleSource("dino-support", CudaSupportKernels.Source, [CudaSupportKernels.GeluForward, CudaSupportKernels.GeluBackward]);
        foreach (var architecture in new[] { "sm_90", "compute_90" })
        {
            var result = NvrtcCompiler.Compile(module, [$"--gpu-architecture={architecture}", .. CudaModuleCache.CommonOptions]);
            Assert.NotEmpty(result.Image);
        }
    }

    [NvrtcFact]
    public void AModuleCompilesUnderItsModelsName()
    {
        var module = new CudaModuleSource("fmnist-tiny", "extern \"C\" __global__ void zero(float* y) { y[threadIdx.x] = 0.0f; }", ["zero"]);
        var result = NvrtcCompiler.Compile(module, ["--gpu-architecture=sm_90", "--ptxas-options=-v"]);

        Assert.Equal("fmnist-tiny.cu", result.ProgramName);
        Assert.Equal(module.KernelNames, result.Ptxas.Kernels.Select(k => k.Name));
    }
}
