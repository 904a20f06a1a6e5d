using System.Linq;
using DinoCompiled.Cuda;
using DinoCompiled.Cuda.Interop;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>Status codes become one-line exceptions named from our own tables, with no GPU and no library needed.</summary>
public sealed class CudaErrorMappingTests
{
    [Fact]
    public void AFailedDriverCallNamesTheCallTheErrorAndTheCode()
    {
        var e = Assert.Throws<CudaException>(() => CudaCheck.Driver(2, "cuMemAlloc_v2"));
        Assert.Equal("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2)", e.Message);
        Assert.Equal(CudaLibrary.Driver, e.Library);
        Assert.Equal("cuMemAlloc_v2", e.Call);
        Assert.Equal(2, e.Code);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", e.ErrorName);
    }

    [Fact]
    public void SuccessDoesNotThrow()
    {
        CudaCheck.Driver(0, "cuInit");
        CudaCheck.Nvrtc(0, "nvrtcVersion");
        CudaCheck.Cublas(0, "cublasLtCreate");
    }

    [Fact]
    public void NvrtcAndCublasStatusesUseTheirOwnTables()
    {
        var nvrtc = Assert.Throws<CudaException>(() => CudaCheck.Nvrtc(5, "nvrtcCompileProgram"));
        Assert.Equal("nvrtcCompileProgram failed: NVRTC_ERROR_INVALID_OPTION (5)", nvrtc.Message);
        Assert.Equal(CudaLibrary.Nvrtc, nvrtc.Library);

        var cublas = Assert.Throws<CudaException>(() => CudaCheck.Cublas(15, "cublasLtMatmul"));
        Assert.Equal("cublasLtMatmul failed: CUBLAS_STATUS_NOT_SUPPORTED (15)", cublas.Message);
        Assert.Equal(CudaLibrary.CublasLt, cublas.Library);
    }

    [Theory]
    [InlineData(CudaLibrary.Driver, 12345)]
    [InlineData(CudaLibrary.Nvrtc, 77)]
    [InlineData(CudaLibrary.CublasLt, 2)]
    public void AnUnknownCodeIsCalledUnknown(CudaLibrary library, int code)
    {
        // Holds with or without the library loaded: cuGetErrorName rejects unknown codes, nvrtcGetErrorString answers
        // "NVRTC_ERROR unknown", and cuBLAS has no fallback here.
        Assert.Equal("unknown", CudaCheck.Name(library, code));
        Assert.Equal($"someCall failed: unknown ({code})", CudaCheck.Failure(library, code, "someCall").Message);
    }

    [Theory]
    [InlineData(1, "CUDA_ERROR_INVALID_VALUE")]
    [InlineData(3, "CUDA_ERROR_NOT_INITIALIZED")]
    [InlineData(34, "CUDA_ERROR_STUB_LIBRARY")]
    [InlineData(100, "CUDA_ERROR_NO_DEVICE")]
    [InlineData(200, "CUDA_ERROR_INVALID_IMAGE")]
    [InlineData(201, "CUDA_ERROR_INVALID_CONTEXT")]
    [InlineData(209, "CUDA_ERROR_NO_BINARY_FOR_GPU")]
    [InlineData(218, "CUDA_ERROR_INVALID_PTX")]
    [InlineData(222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION")]
    [InlineData(400, "CUDA_ERROR_INVALID_HANDLE")]
    [InlineData(500, "CUDA_ERROR_NOT_FOUND")]
    [InlineData(700, "CUDA_ERROR_ILLEGAL_ADDRESS")]
    [InlineData(701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES")]
    [InlineData(719, "CUDA_ERROR_LAUNCH_FAILED")]
    [InlineData(803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH")]
    [InlineData(901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED")]
    [InlineData(912, "CUDA_ERROR_INVALID_CLUSTER_SIZE")]
    [InlineData(999, "CUDA_ERROR_UNKNOWN")]
    public void DriverCodesMatchCudaH(int code, string name) => Assert.Equal(name, CudaErrorNames.Lookup(CudaLibrary.Driver, code));

    [Theory]
    [InlineData(0, "NVRTC_SUCCESS")]
    [InlineData(3, "NVRTC_ERROR_INVALID_INPUT")]
    [InlineData(6, "NVRTC_ERROR_COMPILATION")]
    [InlineData(11, "NVRTC_ERROR_INTERNAL_ERROR")]
    [InlineData(12, "NVRTC_ERROR_TIME_FILE_WRITE_FAILED")]
    public void NvrtcCodesMatchNvrtcH(int code, string name) => Assert.Equal(name, CudaErrorNames.Lookup(CudaLibrary.Nvrtc, code));

    [Theory]
    [InlineData(1, "CUBLAS_STATUS_NOT_INITIALIZED")]
    [InlineData(3, "CUBLAS_STATUS_ALLOC_FAILED")]
    [InlineData(7, "CUBLAS_STATUS_INVALID_VALUE")]
    [InlineData(8, "CUBLAS_STATUS_ARCH_MISMATCH")]
    [InlineData(13, "CUBLAS_STATUS_EXECUTION_FAILED")]
    [InlineData(14, "CUBLAS_STATUS_INTERNAL_ERROR")]
    [InlineData(16, "CUBLAS_STATUS_LICENSE_ERROR")]
    public void CublasCodesMatchCublasApiH(int code, string name) => Assert.Equal(name, CudaErrorNames.Lookup(CudaLibrary.CublasLt, code));

    [Fact]
    public void TablesAreCompleteAndConsistentlyNamed()
    {
        Assert.Equal(100, CudaErrorNames.Driver.Count);
        Assert.Equal(13, CudaErrorNames.Nvrtc.Count);
        Assert.Equal(10, CudaErrorNames.Cublas.Count);
        Assert.All(CudaErrorNames.Driver.Values, n => Assert.StartsWith("CUDA_", n));
        Assert.All(CudaErrorNames.Nvrtc.Values, n => Assert.StartsWith("NVRTC_", n));
        Assert.All(CudaErrorNames.Cublas.Values, n => Assert.StartsWith("CUBLAS_STATUS_", n));
        Assert.Equal(CudaErrorNames.Driver.Count, CudaErrorNames.Driver.Values.Distinct().Count());
    }

    [Theory]
    [InlineData("dino.cu(3): error: identifier \"oops\" is undefined\n\n1 error detected in the compilation of \"dino.cu\".\n", "dino.cu(3): error: identifier \"oops\" is undefined")]
    [InlineData("dino.cu(1): warning #177-D: variable \"x\" was declared but never referenced\ndino.cu(2): error: expected a \";\"\n", "dino.cu(2): error: expected a \";\"")]
    [InlineData("nvrtc: error: invalid value for --gpu-architecture (-arch)\n", "nvrtc: error: invalid value for --gpu-architecture (-arch)")]
    [InlineData("ptxas error   : Entry function 'k' uses too much shared data (0x10000 bytes, 0xc000 max)\n", "ptxas error   : Entry function 'k' uses too much shared data (0x10000 bytes, 0xc000 max)")]
    [InlineData("\n  something odd happened  \nthen more\n", "something odd happened")]
    [InlineData("", null)]
    public void TheFirstErrorLineOfALogIsItsCause(string log, string? line) => Assert.Equal(line, NvrtcCompileException.FirstErrorLine(log));

    [Fact]
    public void ACompileErrorCarriesTheFirstErrorLineAndTheWholeLog()
    {
        const string log = "k.cu(1): warning: unused\nk.cu(4): error: too few arguments in function call\n\n1 error detected in the compilation of \"k.cu\".\n";
        var e = new NvrtcCompileException("nvrtcCompileProgram", 6, "NVRTC_ERROR_COMPILATION", log);
        Assert.Equal("nvrtcCompileProgram failed: NVRTC_ERROR_COMPILATION (6): k.cu(4): error: too few arguments in function call", e.Message);
        Assert.Equal(log, e.Log);
        Assert.IsAssignableFrom<CudaException>(e);
    }
}
