using System;
using System.Collections.Generic;
using DinoCompiled.Cuda;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>How <see cref="CudaLibraries"/> looks for the NVIDIA libraries, driven by a fake loader.</summary>
public sealed class CudaLibraryProbingTests
{
    [Fact]
    public void CandidatesAreTheVersionedNamesNewestFirst()
    {
        Assert.Equal(["libcuda.so.1", "libcuda.so"], CudaLibraries.DefaultCandidates(CudaLibrary.Driver));
        Assert.Equal(["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"], CudaLibraries.DefaultCandidates(CudaLibrary.Nvrtc));
        Assert.Equal(["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11", "libcublasLt.so"], CudaLibraries.DefaultCandidates(CudaLibrary.CublasLt));
    }

    [Fact]
    public void CandidatesAreTriedInOrderUntilOneLoads()
    {
        var loader = new FakeLoader("libnvrtc.so.11.2");
        var probe = CudaLibraries.Probe(CudaLibrary.Nvrtc, CudaLibraries.DefaultCandidates(CudaLibrary.Nvrtc), null, loader.Load);

        Assert.True(probe.Found);
        Assert.Equal("libnvrtc.so.11.2", probe.LoadedName);
        Assert.Equal((IntPtr)0x1000, probe.Handle);
        Assert.Equal(["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"], loader.Asked);
        Assert.Equal(loader.Asked, probe.Tried);
        Assert.Equal(["libnvrtc.so.13: cannot open libnvrtc.so.13", "libnvrtc.so.12: cannot open libnvrtc.so.12"], probe.Failures);
        Assert.Null(probe.Message);
    }

    [Fact]
    public void TheFirstCandidateThatLoadsWins()
    {
        var loader = new FakeLoader("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so");
        var probe = CudaLibraries.Probe(CudaLibrary.CublasLt, CudaLibraries.DefaultCandidates(CudaLibrary.CublasLt), null, loader.Load);

        Assert.Equal("libcublasLt.so.13", probe.LoadedName);
        Assert.Equal(["libcublasLt.so.13"], loader.Asked);
    }

    [Fact]
    public void ALoaderThatSucceedsWithANullHandleDoesNotCount()
    {
        NativeLoad zero = (string name, out IntPtr handle, out string? error) => { handle = IntPtr.Zero; error = null; return true; };
        var probe = CudaLibraries.Probe(CudaLibrary.Driver, CudaLibraries.DefaultCandidates(CudaLibrary.Driver), null, zero.Invoke);

        Assert.False(probe.Found);
        Assert.Equal(["libcuda.so.1: did not load", "libcuda.so: did not load"], probe.Failures);
    }

    [Theory]
    [InlineData(CudaLibrary.Driver, "CUDA driver not found (tried libcuda.so.1, libcuda.so): no NVIDIA driver on this machine")]
    [InlineData(CudaLibrary.Nvrtc, "NVRTC not found (tried libnvrtc.so.13, libnvrtc.so.12, libnvrtc.so.11.2, libnvrtc.so): the CUDA runtime compiler builds the model's kernels; install NVRTC (CUDA 11.2 or later) or set DINO_NVRTC_PATH")]
    [InlineData(CudaLibrary.CublasLt, "cuBLASLt not found (tried libcublasLt.so.13, libcublasLt.so.12, libcublasLt.so.11, libcublasLt.so): the GPU GEMMs run on it; install libcublasLt (CUDA 11 or later) or set DINO_CUBLASLT_PATH")]
    public void NothingLoadingGivesOneLineNamingWhatWasTried(CudaLibrary library, string message)
    {
        var loader = new FakeLoader();
        var probe = CudaLibraries.Probe(library, CudaLibraries.DefaultCandidates(library), null, loader.Load);

        Assert.False(probe.Found);
        Assert.Equal(IntPtr.Zero, probe.Handle);
        Assert.Equal(CudaLibraries.DefaultCandidates(library), loader.Asked);
        Assert.Equal(message, probe.Message);
        Assert.DoesNotContain('\n', probe.Message!);

        var e = new CudaLibraryNotFoundException(probe);
        Assert.IsAssignableFrom<DllNotFoundException>(e);
        Assert.Equal(message, e.Message);
        Assert.Equal(library, e.Library);
        Assert.Equal(loader.Asked, e.Tried);
    }

    [Fact]
    public void AnEnvironmentPathReplacesTheCandidates()
    {
        var environment = new Dictionary<string, string?> { ["DINO_NVRTC_PATH"] = " /opt/cuda/lib64/libnvrtc.so.12 " };
        var candidates = CudaLibraries.Candidates(CudaLibrary.Nvrtc, v => environment.GetValueOrDefault(v), out string? variable);

        Assert.Equal(["/opt/cuda/lib64/libnvrtc.so.12"], candidates);
        Assert.Equal("DINO_NVRTC_PATH", variable);
        var probe = CudaLibraries.Probe(CudaLibrary.Nvrtc, candidates, variable, new FakeLoader().Load);
        Assert.Equal("NVRTC not found (tried /opt/cuda/lib64/libnvrtc.so.12 from DINO_NVRTC_PATH): the CUDA runtime compiler builds the model's kernels; install NVRTC (CUDA 11.2 or later) or set DINO_NVRTC_PATH",
            probe.Message);
    }

    [Theory]
    [InlineData(CudaLibrary.Driver, "DINO_CUDA_PATH")]
    [InlineData(CudaLibrary.Nvrtc, "DINO_NVRTC_PATH")]
    [InlineData(CudaLibrary.CublasLt, "DINO_CUBLASLT_PATH")]
    public void ABlankOverrideKeepsTheDefaults(CudaLibrary library, string variableName)
    {
        Assert.Equal(variableName, CudaLibraries.OverrideVariable(library));
        var candidates = CudaLibraries.Candidates(library, v => v == variableName ? "  " : null, out string? variable);
        Assert.Null(variable);
        Assert.Equal(CudaLibraries.DefaultCandidates(library), candidates);
    }

    [Theory]
    [InlineData("cuda", CudaLibrary.Driver)]
    [InlineData("nvrtc", CudaLibrary.Nvrtc)]
    [InlineData("cublasLt", CudaLibrary.CublasLt)]
    public void TheResolverServesTheLogicalImportNames(string importName, CudaLibrary library)
    {
        Assert.Equal(library, CudaLibraries.LibraryForImportName(importName));
    }

    [Fact]
    public void TheResolverLeavesOtherNamesToTheDefaultSearch()
    {
        Assert.Null(CudaLibraries.LibraryForImportName("openblas"));
        Assert.Null(CudaLibraries.LibraryForImportName("libcuda.so.1"));
        CudaLibraries.EnsureResolver();
        Assert.True(CudaLibraries.ResolverInstalled, "another resolver owns the Runtime assembly; CUDA imports would miss versioned sonames");
    }

    [Fact]
    public void AskingForTheDriverNeverThrowsAndAgreesWithItself()
    {
        bool found = CudaLibraries.TryProbe(CudaLibrary.Driver, out var probe);
        Assert.Equal(found, CudaLibraries.IsAvailable(CudaLibrary.Driver));
        Assert.Same(probe, CudaLibraries.Probe(CudaLibrary.Driver));
        if (found)
        {
            Assert.NotEqual(IntPtr.Zero, CudaLibraries.Require(CudaLibrary.Driver));
        }
        else
        {
            Assert.StartsWith("CUDA driver not found (tried ", probe.Message);
            var e = Assert.Throws<CudaLibraryNotFoundException>(() => CudaLibraries.Require(CudaLibrary.Driver));
            Assert.Equal(probe.Message, e.Message);
        }
    }

    private delegate bool NativeLoad(string name, out IntPtr handle, out string? error);

    /// <summary>Loads only the names it is given, recording every name asked for.</summary>
    private sealed class FakeLoader(params string[] present)
    {
        public List<string> Asked { get; } = [];

        public bool Load(string name, out IntPtr handle, out string? error)
        {
            Asked.Add(name);
            if (Array.IndexOf(present, name) >= 0)
            {
                handle = (IntPtr)0x1000;
                error = null;
                return true;
            }
            handle = IntPtr.Zero;
            error = $"cannot open {name}\nsecond line the message must not carry";
            return false;
        }
    }
}
