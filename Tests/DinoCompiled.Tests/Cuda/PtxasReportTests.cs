using System.Collections.Generic;
using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>Reading ptxas -v logs as NVRTC returns them.</summary>
public sealed class PtxasReportTests
{
    // NVRTC 11.8, sm_90: a template kernel (mangled), an extern "C" kernel and a non-inlined device function.
    private const string Nvrtc118Log =
        "ptxas info    : 0 bytes gmem\n" +
        "ptxas info    : Compiling entry function '_Z4tmplILi3EEvPf' for 'sm_90'\n" +
        "ptxas info    : Function properties for _Z4tmplILi3EEvPf\n" +
        "ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n" +
        "ptxas info    : Used 8 registers\n" +
        "ptxas info    : Compiling entry function 'tiled' for 'sm_90'\n" +
        "ptxas info    : Function properties for tiled\n" +
        "ptxas         .     384 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n" +
        "ptxas info    : Used 36 registers, 1024 bytes smem\n" +
        "ptxas info    : Function properties for _Z6helperPfi\n" +
        "ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n";

    // CUDA 12 style: barriers, cumulative stack, several constant banks, spills; Windows line endings.
    private const string Cuda12Log =
        "ptxas info    : 11 bytes gmem\r\n" +
        "ptxas info    : Compiling entry function 'gemm_tile' for 'sm_90a'\r\n" +
        "ptxas info    : Function properties for gemm_tile\r\n" +
        "ptxas         .     40 bytes stack frame, 36 bytes spill stores, 44 bytes spill loads\r\n" +
        "ptxas info    : Used 255 registers, used 1 barriers, 40 bytes cumulative stack size, 49152 bytes smem, 400 bytes cmem[0], 8 bytes cmem[2]\r\n" +
        "ptxas info    : Compiling entry function 'softmax_rows' for 'sm_90a'\r\n" +
        "ptxas info    : Function properties for softmax_rows\r\n" +
        "ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\r\n" +
        "ptxas info    : Used 18 registers, used 0 barriers, 380 bytes cmem[0]\r\n";

    [Fact]
    public void EntriesAreReadInOrderWithTheirStackAndRegisters()
    {
        var report = PtxasReport.Parse(Nvrtc118Log);

        Assert.Equal(
            [
                new PtxasKernelInfo("_Z4tmplILi3EEvPf", "sm_90", 8, 0, 0, 0, 0, 0, 0),
                new PtxasKernelInfo("tiled", "sm_90", 36, 384, 0, 0, 1024, 0, 0),
            ],
            report.Kernels);
        Assert.False(report["tiled"].Spills);
    }

    [Fact]
    public void DeviceFunctionsAreNotKernels()
    {
        var report = PtxasReport.Parse(Nvrtc118Log);
        Assert.Null(report.Find("_Z6helperPfi"));
        var e = Assert.Throws<KeyNotFoundException>(() => report["_Z6helperPfi"]);
        Assert.Equal("The ptxas report has no kernel '_Z6helperPfi' (it has _Z4tmplILi3EEvPf, tiled).", e.Message);
    }

    [Fact]
    public void SpillsBarriersAndEveryConstantBankAreRead()
    {
        var report = PtxasReport.Parse(Cuda12Log);

        Assert.Equal(new PtxasKernelInfo("gemm_tile", "sm_90a", 255, 40, 36, 44, 49152, 408, 1), report["gemm_tile"]);
        Assert.True(report["gemm_tile"].Spills);
        Assert.Equal(new PtxasKernelInfo("softmax_rows", "sm_90a", 18, 0, 0, 0, 0, 380, 0), report["softmax_rows"]);
    }

    [Fact]
    public void OtherLogLinesAreIgnored()
    {
        string log = "dino.cu(7): warning #177-D: variable \"unused\" was declared but never referenced\n\n" + Nvrtc118Log + "\n";
        Assert.Equal(PtxasReport.Parse(Nvrtc118Log).Kernels, PtxasReport.Parse(log).Kernels);
    }

    [Fact]
    public void ALogWithoutVerboseOutputHasNoKernels()
    {
        Assert.Empty(PtxasReport.Parse("").Kernels);
        Assert.Empty(PtxasReport.Parse("dino.cu(1): warning: something\n").Kernels);
    }
}
