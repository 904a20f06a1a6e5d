using System;

namespace DinoCompiled.Cuda;

/// <summary>A loaded CUDA module: its kernels' function handles in the order of the source's kernel names.</summary>
public sealed unsafe class CudaModule : IDisposable
{
    private readonly CudaDevice _device;
    private readonly nint[] _functions;
    private nint _module;

    internal CudaModule(CudaDevice device, CudaModuleSource source)
    {
        _device = device;
        Source = source;
        var binary = CudaModuleCache.CompileOrLoad(source, device);
        Image = binary;
        _module = CudaApi.ModuleLoadData(binary.Bytes);
        _functions = new nint[source.KernelNames.Count];
        for (int i = 0; i < _functions.Length; i++) _functions[i] = CudaApi.ModuleGetFunction(_module, source.KernelNames[i]);
    }

    /// <summary>The source it was compiled from.</summary>
    public CudaModuleSource Source { get; }

    /// <summary>What was loaded: CUBIN or PTX, and whether it came from the cache.</summary>
    public CudaBinary Image { get; }

    /// <summary>Launches kernel <paramref name="kernel"/> on the device's stream with the packed arguments.</summary>
    public void Launch(int kernel, uint gridX, uint gridY, uint blockX, uint sharedBytes, in KernelArgs args)
    {
        if ((uint)kernel >= (uint)_functions.Length)
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"The CUDA module of {Source.ModelName} has {_functions.Length} kernels.");
        ulong* slots = stackalloc ulong[KernelArgs.Capacity];
        void** pointers = stackalloc void*[KernelArgs.Capacity];
        args.CopyTo(new Span<ulong>(slots, KernelArgs.Capacity));
        for (int i = 0; i < args.Count; i++) pointers[i] = slots + i;
        CudaApi.LaunchKernel(_functions[kernel], gridX, gridY, 1, blockX, 1, 1, sharedBytes, _device.Stream, pointers, Source.KernelNames[kernel]);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_module == 0) return;
        CudaApi.ModuleUnload(_module);
        _module = 0;
    }
}
