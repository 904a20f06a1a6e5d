using System;
using System.IO;
using System.Runtime.InteropServices;
using DinoCompiled.Cpu;
using DinoCompiled.Cuda;
using DinoCompiled.Cuda.Interop;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// Host-side logic of the CUDA backend that needs no GPU: the pointer alignment the cuBLASLt heuristic is told, the
/// cuBLASLt types and alignment rules of each GEMM storage (fp32, bf16 in with fp32 or bf16 out), the loss
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
    [InlineData(0x7f00_0000_0020UL, 32u)]       // a bf16 slice (16 values)
    [InlineData(0x7f00_0000_0002UL, 2u)]        // one bf16 value in
    [InlineData(0x7f00_0000_0200UL, 256u)]      // capped at the heuristic's default
    [InlineData(0UL, 256u)]
    public void TheAlignmentIsTheLargestPowerOfTwoDividingTheAddressUpTo256(ulong address, uint expected) =>
        Assert.Equal(expected, CublasLtGemm.Alignment(address));

    [Theory]
    [InlineData(CudaGemmDataTypes.Float32, CudaPrecision.Fp32, (int)CublasComputeType.Compute32F, (int)CudaDataType.R32F, (int)CudaDataType.R32F)]
    [InlineData(CudaGemmDataTypes.Float32, CudaPrecision.Tf32, (int)CublasComputeType.Compute32FFastTf32, (int)CudaDataType.R32F, (int)CudaDataType.R32F)]
    [InlineData(CudaGemmDataTypes.Float32, CudaPrecision.Bf16, (int)CublasComputeType.Compute32FFast16BF, (int)CudaDataType.R32F, (int)CudaDataType.R32F)]
    // bf16 operands always accumulate in fp32 (COMPUTE_32F), whatever the fp32 GEMMs' mode; the bias has D's type.
    [InlineData(CudaGemmDataTypes.Bf16ToFloat32, CudaPrecision.Bf16, (int)CublasComputeType.Compute32F, (int)CudaDataType.R16BF, (int)CudaDataType.R32F)]
    [InlineData(CudaGemmDataTypes.Bf16ToFloat32, CudaPrecision.Fp32, (int)CublasComputeType.Compute32F, (int)CudaDataType.R16BF, (int)CudaDataType.R32F)]
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, CudaPrecision.Bf16, (int)CublasComputeType.Compute32F, (int)CudaDataType.R16BF, (int)CudaDataType.R16BF)]
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, CudaPrecision.Tf32, (int)CublasComputeType.Compute32F, (int)CudaDataType.R16BF, (int)CudaDataType.R16BF)]
    public void EachStorageHasItsCublasLtTypes(CudaGemmDataTypes storage, CudaPrecision precision, int compute, int operands, int output)
    {
        var types = CublasLtGemmTypes.For(storage, precision);
        Assert.Equal(compute, (int)types.Compute);
        Assert.Equal(CudaDataType.R32F, types.Scale); // alpha and beta are fp32 in every mode
        Assert.Equal(operands, (int)types.Operands);
        Assert.Equal(output, (int)types.Output);
        Assert.Equal(output, (int)types.Bias);
        Assert.Equal(operands == (int)CudaDataType.R16BF ? 2 : 4, types.OperandBytes);
        Assert.Equal(output == (int)CudaDataType.R16BF ? 2 : 4, types.OutputBytes);
    }

    [Theory]
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, 0x7f00_0000_0020UL, 0x7f00_0000_0002UL, 0x7f00_0000_0042UL, 0UL, null)]  // bf16 slices: any even address
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, 0x7f00_0000_0021UL, 0x7f00_0000_0040UL, 0x7f00_0000_0040UL, 0UL, "operand")]
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, 0x7f00_0000_0020UL, 0x7f00_0000_0040UL, 0x7f00_0000_0041UL, 0UL, "output")]
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, 0x7f00_0000_0020UL, 0x7f00_0000_0040UL, 0x7f00_0000_0040UL, 0x7f00_0000_0020UL, null)] // a bf16 bias at 32 B
    [InlineData(CudaGemmDataTypes.Bf16ToBf16, 0x7f00_0000_0020UL, 0x7f00_0000_0040UL, 0x7f00_0000_0040UL, 0x7f00_0000_0008UL, "bias")]
    [InlineData(CudaGemmDataTypes.Bf16ToFloat32, 0x7f00_0000_0002UL, 0x7f00_0000_0040UL, 0x7f00_0000_0042UL, 0UL, "output")]      // fp32 D on 4 bytes
    [InlineData(CudaGemmDataTypes.Float32, 0x7f00_0000_0002UL, 0x7f00_0000_0040UL, 0x7f00_0000_0040UL, 0UL, "operand")]
    [InlineData(CudaGemmDataTypes.Float32, 0x7f00_0000_0044UL, 0x7f00_0000_0048UL, 0x7f00_0000_0040UL, 0x7f00_0000_0050UL, null)]
    public void GemmPointersMustHoldWholeValuesAndTheBias16Bytes(CudaGemmDataTypes storage, ulong a, ulong b, ulong c, ulong bias, string? problem)
    {
        string? message = CublasLtGemm.AlignmentProblem(CublasLtGemmTypes.For(storage, CudaPrecision.Bf16), a, b, c, bias);
        if (problem is null) Assert.Null(message);
        else Assert.Contains(problem, message, StringComparison.Ordinal);
    }

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
