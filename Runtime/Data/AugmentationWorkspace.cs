using System;

namespace DinoCompiled.Data;

/// <summary>
/// The buffers one thread reuses while it makes crops (the resampler's tables, the crop's bytes, the blur's floats),
/// so a worker allocates nothing per crop. Made by <see cref="MultiCropAugmentation.CreateWorkspace"/>; not thread-safe.
/// </summary>
public sealed class AugmentationWorkspace
{
    internal AugmentationWorkspace(int channels, int largestCropSize)
    {
        int plane = largestCropSize * largestCropSize;
        CropPixels = new byte[channels * plane];
        BlurScratch = new float[plane];
    }

    internal PillowBicubicResampler Resampler { get; } = new();

    internal byte[] CropPixels { get; }

    internal float[] BlurScratch { get; }
}
