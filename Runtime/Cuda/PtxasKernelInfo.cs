namespace DinoCompiled.Cuda;

/// <summary>
/// What ptxas said about one kernel (an entry function) when asked with <c>--ptxas-options=-v</c>. Byte counts are per
/// thread for the stack and spills, per block for shared memory.
/// </summary>
/// <param name="Name">The entry's symbol: the plain name for <c>extern "C"</c> kernels, the mangled one otherwise.</param>
/// <param name="Architecture">The target ptxas compiled it for, e.g. <c>sm_90</c>.</param>
/// <param name="Registers">Registers per thread.</param>
/// <param name="StackFrameBytes">Local-memory stack frame per thread (local arrays indexed at run time live here).</param>
/// <param name="SpillStoreBytes">Bytes of register spill stores per thread.</param>
/// <param name="SpillLoadBytes">Bytes of register spill loads per thread.</param>
/// <param name="SharedMemoryBytes">Static shared memory per block (dynamic shared memory is not known to ptxas).</param>
/// <param name="ConstantMemoryBytes">Constant memory over all banks ptxas listed (<c>cmem[N]</c>; bank 0 holds the parameters).</param>
/// <param name="Barriers">Named barriers used, when ptxas reports them (CUDA 12), else 0.</param>
public sealed record PtxasKernelInfo(
    string Name,
    string Architecture,
    int Registers,
    int StackFrameBytes,
    int SpillStoreBytes,
    int SpillLoadBytes,
    int SharedMemoryBytes,
    int ConstantMemoryBytes,
    int Barriers)
{
    /// <summary>Whether ptxas spilled registers to local memory (a sign the kernel asks for too much per thread).</summary>
    public bool Spills => SpillStoreBytes > 0 || SpillLoadBytes > 0;
}
