using System;

namespace DinoCompiled.Data;

/// <summary>How an <see cref="ImageFolderDataset"/> decodes its images.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Channels images are decoded to: 1 (gray, by Pillow's luma weights) or 3 (RGB; alpha is dropped).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Height every image is resized to (bicubic, aspect ratio not kept).</summary>
    public required int Height { get; init; }

    /// <summary>Width every image is resized to.</summary>
    public required int Width { get; init; }

    /// <summary>Whether a file that cannot be decoded stops the opening or is left out.</summary>
    public UnreadableImagePolicy UnreadablePolicy { get; init; } = UnreadableImagePolicy.Stop;

    /// <summary>Called once per file left out under <see cref="UnreadableImagePolicy.Skip"/>, in file order, as the dataset opens.</summary>
    public Action<UnreadableImage>? OnUnreadableImage { get; init; }

    /// <summary>Normalization statistics; null for ImageNet's (<see cref="NormalizationStatistics.ImageNetFor"/>).</summary>
    public NormalizationStatistics? Normalization { get; init; }

    /// <summary>
    /// The decoded, resized pixels are kept in memory when they fit in this many bytes (then reads cost a copy);
    /// otherwise every read decodes the file again.
    /// </summary>
    public long MaxCachedBytes { get; init; } = 1L << 30;

    /// <summary>The default <see cref="MaxPixels"/>: 64 megapixels.</summary>
    public const long DefaultMaxPixels = 64_000_000;

    /// <summary>
    /// An image with more pixels than this (width × height, read from its header before decoding) is unreadable:
    /// decoding is bounded, so a huge or hostile file is reported, never an out-of-memory crash.
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Threads that decode the files when the dataset opens; 0 for one per processor.</summary>
    public int DecodeThreads { get; init; }
}
