namespace DinoCompiled.Cuda;

/// <summary>A compiled CUDA module image: CUBIN for the device's architecture, or PTX the driver compiles at load.</summary>
/// <param name="Bytes">The image (PTX is NUL-terminated).</param>
/// <param name="IsCubin">CUBIN rather than PTX.</param>
/// <param name="Architecture">What it was compiled for, e.g. "sm_90" or "compute_90".</param>
/// <param name="FromCache">Whether it was read from the disk cache instead of compiled.</param>
public sealed record CudaBinary(byte[] Bytes, bool IsCubin, string Architecture, bool FromCache);
