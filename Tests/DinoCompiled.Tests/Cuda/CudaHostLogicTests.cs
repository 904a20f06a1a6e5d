using System;
using System.IO;
using System.Runtime.InteropServices;
using DinoCompiled.Cpu;
using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// Host-side logic of the CUDA backend that needs no GPU: the pointer alignment the cuBLASLt heuristic is told, the loss
/// normalization of the GPU step against the CPU's <see cref="DinoLoss"/>, and the NVRTC options and architecture
/// fallback of the module cache (these need libnvrtc only).
/// </summary>
public sealed class CudaHostLogicTests
{
    [Theory]
    [InlineData(0x7f00_0000_0000UL, 256u)]      // cuMemAlloc's base: at least 256-byte aligned
    [InlineData(0x7f00_0000_0040UL, 64u)]       // a tensor of the parameter table / an arena slice (16 floats)
    [InlineData(0x7f00_0000_0c40UL, 64u)]
    [InlineData(0x7f00_0000_0010UL, 16u)]
    [InlineData(0x7f00_0000_0004UL, 4u)]        // one float in
    [InlineData(0x7f00_0000_0200UL, 256u)]      // capped at the heuristic's default
    [InlineData(0UL, 256u)]
    public void TheAlignmentIsTheLargestPowerOfTwoDividingTheAddressUpTo256(ulong address, uint expected) =>
        Assert.Equal(expected, CublasLtGemm.Alignment(address));

    [Theory]
    [InlineData(1, 0, 5)]
    [InlineData(3, 2, 7)]
    [InlineData(4, 10, 16)]
    public void TheGpuLossIsTheCpuLoss(int batch, int localCrops, int outDim)
    {
        int crops = 2 + localCrops;
        var random = new Random(batch * 31 + localCrops);
        var student = Random(random, (long)crops * batch * outDim);
        var teacher = Random(random, 2L * batch * outDim);
        var center = Random(random, outDim);
        var dStudent = new float[student.Length];
        var scratch = new float[DinoLoss.ScratchLength(batch, crops, outDim)];
        double cpu = DinoLoss.Forward(student, teacher, center, dStudent, scratch, batch, crops, outDim, 0.1f, 0.04f);

        // DinoLoss keeps the per-row losses as doubles at the start of its scratch, as the GPU's rowLoss buffer holds them.
        var rowLosses = MemoryMarshal.Cast<float, double>(scratch.AsSpan(0, 2 * crops * batch));
        Assert.Equal(crops * batch, rowLosses.Length);
        Assert.Equal(cpu, CudaDinoStep<DinoCompiled.Models.FmnistTiny>.LossFromRowLosses(rowLosses, batch, localCrops));
    }

    [NvrtcFact]
    public void TheModuleCacheOptionsCompileForTheDeviceArchitecture()
    {
        var directory = TemporaryDirectory();
        try
        {
            var source = new CudaModuleSource("dino-support", CudaSupportKernels.Source, [CudaSupportKernels.GeluForward, CudaSupportKernels.GeluBackward]);
            var compiled = CudaModuleCache.CompileOrLoad(source, 90, 12040, directory);
            Assert.True(compiled.IsCubin);
            Assert.Equal("sm_90", compiled.Architecture);
            Assert.False(compiled.FromCache);
            Assert.NotEmpty(compiled.Bytes);

            var cached = CudaModuleCache.CompileOrLoad(source, 90, 12040, directory);
            Assert.True(cached.FromCache);
            Assert.Equal(compiled.Bytes, cached.Bytes);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [NvrtcFact]
    public void AnArchitectureNvrtcDoesNotKnowFallsBackToNulTerminatedPtx()
    {
        var source = new CudaModuleSource("dino-support", CudaSupportKernels.Source, [CudaSupportKernels.GeluForward, CudaSupportKernels.GeluBackward]);
        var compiled = CudaModuleCache.CompileOrLoad(source, 990, 12040, directory: null);
        Assert.False(compiled.IsCubin);
        Assert.Equal("compute_90", compiled.Architecture);
        Assert.Equal(0, compiled.Bytes[^1]); // cuModuleLoadData reads PTX as a C string
        Assert.Contains(".entry dino_support_gelu_forward", System.Text.Encoding.UTF8.GetString(compiled.Bytes), StringComparison.Ordinal);
    }

    [NvrtcFact]
    public void ACompileErrorIsNotMistakenForAnUnknownArchitecture()
    {
        var source = new CudaModuleSource("broken", "extern \"C\" __global__ void k() { undefined_name(); }", ["k"]);
        var e = Assert.Throws<NvrtcCompileException>(() => CudaModuleCache.CompileOrLoad(source, 90, 12040, directory: null));
        Assert.Equal(6, e.Code); // NVRTC_ERROR_COMPILATION, from the sm_90 attempt: no fallback to PTX
    }

    private static float[] Random(Random random, long count)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 4 - 2);
        return values;
    }

    private static string TemporaryDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "dino-cuda-cache-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
