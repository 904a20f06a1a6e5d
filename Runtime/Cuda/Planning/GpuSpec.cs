using System;
using System.Collections.Immutable;
using System.Linq;

namespace DinoCompiled.Cuda;

/// <summary>
/// The datasheet figures of a GPU the performance model prices a step on (dense, without sparsity).
/// </summary>
/// <param name="Name">The name <c>dino inspect --gpu</c> takes.</param>
/// <param name="Description">What it is.</param>
/// <param name="TensorFlops">Dense bf16 tensor-core FLOP/s (fp32 accumulate).</param>
/// <param name="CudaCoreFlops">fp32 FLOP/s on the CUDA cores.</param>
/// <param name="BytesPerSecond">Memory bandwidth.</param>
public sealed record GpuSpec(string Name, string Description, double TensorFlops, double CudaCoreFlops, double BytesPerSecond)
{
    /// <summary>H100 SXM5: 989.4 TFLOP/s dense bf16, 66.9 TFLOP/s fp32, 3.35 TB/s HBM3.</summary>
    public static GpuSpec H100 { get; } = new("h100", "NVIDIA H100 SXM5 (80 GB HBM3)", 989.4e12, 66.9e12, 3.35e12);

    /// <summary>H200 SXM: the H100's compute with 4.8 TB/s HBM3e.</summary>
    public static GpuSpec H200 { get; } = new("h200", "NVIDIA H200 SXM (141 GB HBM3e)", 989.4e12, 66.9e12, 4.8e12);

    /// <summary>Every GPU the model knows.</summary>
    public static ImmutableArray<GpuSpec> All { get; } = [H100, H200];

    /// <summary>
    /// The spec of a device by its CUDA name (<c>NVIDIA H100 80GB HBM3</c>), or null when the model does not know it: the
    /// PCIe and NVL H100s have other clocks and memory, so they are not taken for the SXM part.
    /// </summary>
    public static GpuSpec? ForDevice(string deviceName)
    {
        if (deviceName.Contains("PCIe", StringComparison.OrdinalIgnoreCase) || deviceName.Contains("NVL", StringComparison.OrdinalIgnoreCase)) return null;
        return deviceName.Contains("H200", StringComparison.OrdinalIgnoreCase) ? H200
            : deviceName.Contains("H100", StringComparison.OrdinalIgnoreCase) ? H100
            : null;
    }

    /// <summary>The GPU of that name, or a one-line error naming the ones known.</summary>
    public static GpuSpec Find(string name) =>
        All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown GPU '{name}'; the performance model knows: {string.Join(", ", All.Select(g => g.Name))}");
}
