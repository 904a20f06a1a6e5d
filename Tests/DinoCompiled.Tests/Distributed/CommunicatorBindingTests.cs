using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using DinoCompiled.Cuda;
using DinoCompiled.Cuda.Interop;
using DinoCompiled.Distributed;
using DinoCompiled.Distributed.Interop;
using Xunit;

namespace DinoCompiled.Tests.Distributed;

/// <summary>
/// The MPI and NCCL bindings without a GPU: which files are probed and what a missing library says (one line naming
/// what was tried and what to install), the ABI of what is packed for the calls (nccl.h's 128-byte unique id by value,
/// its element-type and reduction enums, its version code, its result names), and Open MPI's handles from libmpi.
/// </summary>
public sealed unsafe class CommunicatorBindingTests
{
    private static bool Missing(string name, out IntPtr handle, out string? error)
    {
        handle = IntPtr.Zero;
        error = $"{name}: cannot open shared object file: No such file or directory\n(second line)";
        return false;
    }

    [Fact]
    public void NcclIsProbedByItsSonameAndAMissingOneIsOneLine()
    {
        Assert.Equal(["libnccl.so.2", "libnccl.so"], CudaLibraries.DefaultCandidates(CudaLibrary.Nccl));
        var probe = CudaLibraries.Probe(CudaLibrary.Nccl, CudaLibraries.DefaultCandidates(CudaLibrary.Nccl), null, Missing);
        Assert.False(probe.Found);
        Assert.Equal(["libnccl.so.2", "libnccl.so"], probe.Tried);
        Assert.Equal("libnccl.so.2: libnccl.so.2: cannot open shared object file: No such file or directory", probe.Failures[0]);
        Assert.Equal("NCCL not found (tried libnccl.so.2, libnccl.so): GPU ranks sum their gradients with it; pip install nvidia-nccl-cu12 and set DINO_NCCL_PATH to its libnccl.so.2, or install libnccl2",
            probe.Message);

        var candidates = CudaLibraries.Candidates(CudaLibrary.Nccl, v => v == "DINO_NCCL_PATH" ? " /opt/nccl/lib/libnccl.so.2 " : null, out string? variable);
        Assert.Equal(["/opt/nccl/lib/libnccl.so.2"], candidates);
        Assert.Equal("DINO_NCCL_PATH", variable);
        Assert.EndsWith("from DINO_NCCL_PATH): GPU ranks sum their gradients with it; pip install nvidia-nccl-cu12 and set DINO_NCCL_PATH to its libnccl.so.2, or install libnccl2",
            CudaLibraries.Probe(CudaLibrary.Nccl, candidates, variable, Missing).Message);
    }

    [Fact]
    public void ThisMachinesNcclProbeEitherFindsItOrSaysWhatWasTried()
    {
        var probe = CudaLibraries.Probe(CudaLibrary.Nccl);
        if (probe.Found) Assert.NotEqual(IntPtr.Zero, probe.Handle);
        else Assert.Matches(@"^NCCL not found \(tried [^\n]+\): GPU ranks sum their gradients with it; [^\n]+$", probe.Message);
    }

    [Fact]
    public void TheNcclArgumentsHaveTheHeadersLayoutAndValues()
    {
        // nccl.h: typedef struct { char internal[NCCL_UNIQUE_ID_BYTES]; } ncclUniqueId; with NCCL_UNIQUE_ID_BYTES 128.
        Assert.Equal(128, sizeof(NcclUniqueId));
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
        NcclUniqueId id = default;
        for (int i = 0; i < NcclUniqueId.Bytes; i++) id.AsSpan()[i] = (byte)(i * 7 + 1);
        var bytes = new ReadOnlySpan<byte>(&id, NcclUniqueId.Bytes);
        Assert.Equal(1, bytes[0]);
        Assert.Equal(unchecked((byte)(127 * 7 + 1)), bytes[127]);

        // ncclDataType_t and ncclRedOp_t.
        Assert.Equal(7, (int)NcclCommunicator.DataTypeOf<float>());
        Assert.Equal(8, (int)NcclCommunicator.DataTypeOf<double>());
        Assert.Equal(1, (int)NcclCommunicator.DataTypeOf<byte>());
        Assert.Equal(9, (int)NcclDataType.BFloat16);
        Assert.Equal(0, (int)NcclReduction.Sum);
        Assert.Equal(4, (int)NcclReduction.Average);
        Assert.Throws<NotSupportedException>(() => NcclCommunicator.DataTypeOf<int>());

        // NCCL_VERSION(X, Y, Z): X*1000 + Y*100 + Z up to 2.8, X*10000 + Y*100 + Z after.
        Assert.Equal("2.8.4", NcclCommunicator.FormatVersion(2804));
        Assert.Equal("2.16.5", NcclCommunicator.FormatVersion(21605));
        Assert.Equal("2.21.5", NcclCommunicator.FormatVersion(22105));

        // ncclResult_t names come from our table, without the library.
        var failure = CudaCheck.Failure(CudaLibrary.Nccl, 5, "ncclAllReduce");
        Assert.Contains("ncclAllReduce", failure.Message);
        Assert.Contains("ncclInvalidUsage", failure.Message);
        Assert.Equal("ncclRemoteError", CudaCheck.Name(CudaLibrary.Nccl, 6));
    }

    [Fact]
    public void MpiIsProbedByOpenMpisSonameAndAMissingOneIsOneLine()
    {
        Assert.Equal(["libmpi.so.40", "libmpi.so"], MpiLibrary.DefaultCandidates);
        var probe = MpiLibrary.Probe(MpiLibrary.DefaultCandidates, null, Missing);
        Assert.False(probe.Found);
        Assert.Equal("libmpi.so.40: libmpi.so.40: cannot open shared object file: No such file or directory (second line)", probe.Failures[0]);
        Assert.Equal("Open MPI not found (tried libmpi.so.40, libmpi.so): training on several ranks needs Open MPI 3 or later (Debian: apt-get install openmpi-bin libopenmpi-dev), or DINO_MPI_PATH naming its libmpi",
            probe.Message);
        var candidates = MpiLibrary.Candidates(v => v == "DINO_MPI_PATH" ? "/opt/ompi/lib/libmpi.so.40" : null, out string? variable);
        Assert.Equal(["/opt/ompi/lib/libmpi.so.40"], candidates);
        Assert.Contains("from DINO_MPI_PATH)", MpiLibrary.Probe(candidates, variable, Missing).Message);
    }

    [MpiFact]
    public void OpenMpisPredefinedHandlesAreReadFromLibmpi()
    {
        var probe = MpiLibrary.Probe();
        Assert.True(probe.Found, probe.Message);
        var handles = MpiHandles.Read(probe.Handle, out string? missing);
        Assert.True(handles is not null, $"{probe.LoadedName} exports no {missing}");
        var values = new HashSet<nint> { handles.Value.CommWorld, handles.Value.Float, handles.Value.Double, handles.Value.Byte, handles.Value.Sum, handles.Value.ErrorsReturn };
        Assert.Equal(6, values.Count);
        Assert.DoesNotContain((nint)0, values);
    }
}
