namespace DinoCompiled.Cuda;

/// <summary>The native NVIDIA libraries the GPU path binds to.</summary>
public enum CudaLibrary
{
    /// <summary>The CUDA driver API (<c>libcuda</c>), installed with the NVIDIA driver.</summary>
    Driver,

    /// <summary>The CUDA runtime compiler (<c>libnvrtc</c>), which turns generated CUDA C into CUBIN or PTX.</summary>
    Nvrtc,

    /// <summary>cuBLASLt (<c>libcublasLt</c>), which runs the GEMMs and their epilogues.</summary>
    CublasLt,

    /// <summary>NCCL (<c>libnccl</c>), which sums the gradients of GPU ranks (pip's nvidia-nccl or Debian's libnccl2).</summary>
    Nccl,
}
