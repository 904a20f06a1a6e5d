using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Data;

/// <summary>
/// One batch of a <see cref="MultiCropLoader"/>, in the layout the compiled DINO step reads: global crops
/// [2·B, C, G, G] crop-major (every image's first global crop, then every image's second), local crops
/// [L·B, C, l, l] crop-major (local crop 0 of every image, then local crop 1, …), labels and dataset indices [B].
/// The buffers are native and reused: hand the batch back with <see cref="Release"/> when the step is done with it;
/// after that its accessors throw.
/// </summary>
public sealed unsafe class MultiCropBatch
{
    private readonly MultiCropLoader _owner;
    private readonly NativeBuffer _globalCrops;
    private readonly NativeBuffer _localCrops;
    private bool _held;

    internal MultiCropBatch(MultiCropLoader owner, int slot, int batchSize, int channels, int globalSize, int localSize, int localCount)
    {
        _owner = owner;
        Slot = slot;
        BatchSize = batchSize;
        Channels = channels;
        GlobalSize = globalSize;
        LocalSize = localSize;
        LocalCount = localCount;
        GlobalCropLength = 2L * batchSize * channels * globalSize * globalSize;
        LocalCropLength = (long)localCount * batchSize * channels * localSize * localSize;
        _globalCrops = new NativeBuffer(GlobalCropLength);
        _localCrops = new NativeBuffer(LocalCropLength);
        IndexArray = new int[batchSize];
        LabelArray = new int[batchSize];
    }

    /// <summary>Images in the batch (B).</summary>
    public int BatchSize { get; }

    /// <summary>Channels per crop (C).</summary>
    public int Channels { get; }

    /// <summary>Side of a global crop (G).</summary>
    public int GlobalSize { get; }

    /// <summary>Side of a local crop (l).</summary>
    public int LocalSize { get; }

    /// <summary>Local crops per image (L).</summary>
    public int LocalCount { get; }

    /// <summary>The epoch the batch belongs to.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Position of the batch in its epoch (0-based).</summary>
    public int BatchIndex { get; internal set; }

    /// <summary>Floats in the global crops: 2·B·C·G².</summary>
    public long GlobalCropLength { get; }

    /// <summary>Floats in the local crops: L·B·C·l².</summary>
    public long LocalCropLength { get; }

    /// <summary>The global crops, [2·B, C, G, G].</summary>
    public float* GlobalCrops => Held()._globalCrops.Data;

    /// <summary>The local crops, [L·B, C, l, l] (a valid pointer to no floats when L = 0).</summary>
    public float* LocalCrops => Held()._localCrops.Data;

    /// <summary>The global crops as a span (for at most 2³¹ − 1 floats).</summary>
    public Span<float> GlobalCropSpan => Held()._globalCrops.Span;

    /// <summary>The local crops as a span (for at most 2³¹ − 1 floats).</summary>
    public Span<float> LocalCropSpan => new(Held()._localCrops.Data, checked((int)LocalCropLength));

    /// <summary>Global crop <paramref name="crop"/> (0 or 1) of image <paramref name="image"/>, [C, G, G].</summary>
    public Span<float> GlobalCrop(int crop, int image)
    {
        if ((uint)crop > 1) throw new ArgumentOutOfRangeException(nameof(crop), crop, "There are 2 global crops.");
        return CropOf(Held()._globalCrops, crop, image, Channels * GlobalSize * GlobalSize);
    }

    /// <summary>Local crop <paramref name="crop"/> of image <paramref name="image"/>, [C, l, l].</summary>
    public Span<float> LocalCrop(int crop, int image)
    {
        if ((uint)crop >= (uint)LocalCount) throw new ArgumentOutOfRangeException(nameof(crop), crop, $"There are {LocalCount} local crops.");
        return CropOf(Held()._localCrops, crop, image, Channels * LocalSize * LocalSize);
    }

    /// <summary>The images' labels, [B].</summary>
    public ReadOnlySpan<int> Labels => Held().LabelArray;

    /// <summary>The images' positions in the dataset, [B].</summary>
    public ReadOnlySpan<int> Indices => Held().IndexArray;

    internal int Slot { get; }

    internal int[] IndexArray { get; }

    internal int[] LabelArray { get; }

    /// <summary>Hands the buffers back to the loader, which fills them with a later batch.</summary>
    public void Release()
    {
        Held();
        _held = false;
        _owner.Release(this);
    }

    internal void MarkHeld() => _held = true;

    // Where crop `crop` of image `image` starts in a crop-major buffer: crop-major means crop c of image b is row c·B + b.
    internal Span<float> WritableCrop(bool global, int crop, int image, int cropLength) =>
        CropOf(global ? _globalCrops : _localCrops, crop, image, cropLength);

    internal void FreeBuffers()
    {
        _globalCrops.Dispose();
        _localCrops.Dispose();
    }

    private Span<float> CropOf(NativeBuffer buffer, int crop, int image, int cropLength)
    {
        if ((uint)image >= (uint)BatchSize) throw new ArgumentOutOfRangeException(nameof(image), image, $"The batch holds {BatchSize} images.");
        return new Span<float>(buffer.Data + ((long)crop * BatchSize + image) * cropLength, cropLength);
    }

    private MultiCropBatch Held() => _held ? this : throw new InvalidOperationException("This batch was released (or never handed out); its buffers now belong to the loader.");
}
