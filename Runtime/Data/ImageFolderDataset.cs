using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace DinoCompiled.Data;

/// <summary>
/// Images in one sub-folder per class, as torchvision's <c>ImageFolder</c>: classes are the sub-folders sorted by
/// ordinal name (hidden ones, starting with '.', left out), labels their positions; each class's <c>.jpg</c>,
/// <c>.jpeg</c> and <c>.png</c> files (any depth, sorted by ordinal path) are its images. Files are decoded with
/// SixLabors.ImageSharp (every format ImageSharp 2.1 decodes: JPEG, PNG, BMP, GIF, TGA, TIFF, WebP; the first frame of an animation), turned into 1 or 3 channels and resized bicubically (as Pillow)
/// to the size the caller gives. Every file is decoded when the dataset opens, so an unreadable one is found before a
/// run starts: it stops the opening or is reported and left out (<see cref="UnreadableImagePolicy"/>).
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    /// <summary>The formats read, as messages name them.</summary>
    public const string FormatNames = "JPEG, PNG, BMP, GIF, TGA, TIFF or WebP";

    /// <summary>The file extensions taken for images (any case).</summary>
    public static readonly IReadOnlyList<string> Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tga", ".tif", ".tiff", ".webp"];

    // Only the two formats the folder may hold, and one thread per decode: the dataset parallelises over files.
    private static readonly Configuration DecoderConfiguration =
        new(new JpegConfigurationModule(), new PngConfigurationModule(), new BmpConfigurationModule(), new GifConfigurationModule(),
            new TgaConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule()) { MaxDegreeOfParallelism = 1 };

    [ThreadStatic]
    private static PillowBicubicResampler? t_resampler;

    private readonly string[] _files;
    private readonly int[] _labels;
    private readonly byte[]? _cache;
    private readonly int[] _cacheSlots;
    private readonly long _maxPixels;

    private ImageFolderDataset(string root, ImageFolderOptions options, string[] classNames, string[] files, int[] labels,
        byte[]? cache, int[] cacheSlots, UnreadableImage[] unreadable)
    {
        Root = root;
        Channels = options.Channels;
        Height = options.Height;
        Width = options.Width;
        ClassNames = classNames;
        Normalization = options.Normalization ?? NormalizationStatistics.ImageNetFor(options.Channels);
        _files = files;
        _labels = labels;
        _cache = cache;
        _cacheSlots = cacheSlots;
        _maxPixels = options.MaxPixels;
        UnreadableImages = unreadable;
    }

    /// <summary>The folder of class folders.</summary>
    public string Root { get; }

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public int Channels { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int ClassCount => ClassNames.Count;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public NormalizationStatistics Normalization { get; }

    /// <summary>The files left out because they could not be decoded (empty under <see cref="UnreadableImagePolicy.Stop"/>).</summary>
    public IReadOnlyList<UnreadableImage> UnreadableImages { get; }

    /// <summary>Whether the decoded pixels are held in memory (see <see cref="ImageFolderOptions.MaxCachedBytes"/>).</summary>
    public bool IsCached => _cache is not null;

    /// <summary>Lists, decodes and checks every image under <paramref name="root"/>.</summary>
    /// <exception cref="DatasetException">The folder is missing or holds no images, or a file is unreadable under <see cref="UnreadableImagePolicy.Stop"/>.</exception>
    public static ImageFolderDataset Open(string root, ImageFolderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "Images are decoded to 1 or 3 channels.");
        if (options.Height < 1 || options.Width < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Cannot resize images to {options.Height}x{options.Width}.");
        if (options.Normalization is not null && options.Normalization.Channels != options.Channels)
            throw new ArgumentException($"The images have {options.Channels} channels but the normalization has {options.Normalization.Channels}.", nameof(options));
        if (!Directory.Exists(root)) throw new DatasetException(root, "no such directory");

        var classDirectories = Directory.GetDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToArray();
        if (classDirectories.Length == 0) throw new DatasetException(root, "holds no class folders (one sub-folder per class is expected)");

        var files = new List<string>();
        var labels = new List<int>();
        for (int label = 0; label < classDirectories.Length; label++)
        {
            foreach (string file in Directory.EnumerateFiles(classDirectories[label], "*", SearchOption.AllDirectories)
                         .Where(IsImageFile).OrderBy(f => f, StringComparer.Ordinal))
            {
                files.Add(file);
                labels.Add(label);
            }
        }
        if (files.Count == 0) throw new DatasetException(root, $"holds no images ({FormatNames}) in its class folders");
        return Decode(root, options, classDirectories.Select(d => Path.GetFileName(d)!).ToArray(), files, labels);
    }

    /// <summary>
    /// The images <paramref name="files"/> as one unlabeled set (every label 0, one class named "images"), in the order
    /// given: for the commands that look at chosen images (attention maps, retrieval). <paramref name="root"/> names the
    /// set in errors.
    /// </summary>
    /// <exception cref="DatasetException">No files, a file that is not an image of <see cref="FormatNames"/>, or one unreadable under <see cref="UnreadableImagePolicy.Stop"/>.</exception>
    public static ImageFolderDataset OpenFiles(string root, IReadOnlyList<string> files, ImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "Images are decoded to 1 or 3 channels.");
        if (files.Count == 0) throw new DatasetException(root, $"holds no images ({FormatNames})");
        foreach (string file in files)
            if (!IsImageFile(file)) throw new DatasetException(file, $"is not an image ({FormatNames}: {string.Join(", ", Extensions)})");
        return Decode(root, options, ["images"], files.ToList(), Enumerable.Repeat(0, files.Count).ToList());
    }

    /// <summary>Every image file (<see cref="Extensions"/>) under <paramref name="root"/>, recursively, in ordinal path order.</summary>
    public static IReadOnlyList<string> ImageFilesUnder(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => IsImageFile(f) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();

    private static ImageFolderDataset Decode(string root, ImageFolderOptions options, string[] classNames, List<string> files, List<int> labels)
    {
        int imageBytes = options.Channels * options.Height * options.Width;
        // A cache is one array, so it also stays under the largest array .NET allows (and its offsets fit an int).
        bool cache = (long)files.Count * imageBytes <= Math.Min(options.MaxCachedBytes, Array.MaxLength);
        byte[]? pixels = cache ? new byte[(long)files.Count * imageBytes] : null;
        var failures = DecodeAll(files, options, pixels);

        var keptFiles = new List<string>(files.Count);
        var keptLabels = new List<int>(files.Count);
        var keptSlots = new List<int>(files.Count);
        var unreadable = new List<UnreadableImage>();
        for (int i = 0; i < files.Count; i++)
        {
            if (failures[i] is { } reason)
            {
                if (options.UnreadablePolicy == UnreadableImagePolicy.Stop) throw new DatasetException(files[i], reason);
                var skipped = new UnreadableImage(files[i], reason);
                unreadable.Add(skipped);
                options.OnUnreadableImage?.Invoke(skipped);
                continue;
            }
            keptFiles.Add(files[i]);
            keptLabels.Add(labels[i]);
            keptSlots.Add(i);
        }
        if (keptFiles.Count == 0) throw new DatasetException(root, $"none of its {files.Count} images could be read");

        return new ImageFolderDataset(root, options, classNames, keptFiles.ToArray(), keptLabels.ToArray(), pixels,
            keptSlots.ToArray(), unreadable.ToArray());
    }

    /// <summary>The file image <paramref name="index"/> was read from.</summary>
    public string FilePath(int index) => _files[index];

    /// <inheritdoc/>
    public int Label(int index) => _labels[index];

    /// <inheritdoc/>
    /// <exception cref="DatasetException">The dataset is not cached and the file can no longer be decoded.</exception>
    public void ReadImage(int index, Span<byte> pixels)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset holds {Count} images.");
        int imageBytes = Channels * Height * Width;
        if (pixels.Length != imageBytes) throw new ArgumentException($"An image is {imageBytes} bytes; the span holds {pixels.Length}.", nameof(pixels));
        if (_cache is not null)
        {
            _cache.AsSpan(_cacheSlots[index] * imageBytes, imageBytes).CopyTo(pixels);
            return;
        }
        if (TryDecode(_files[index], Channels, Height, Width, _maxPixels, pixels) is { } reason) throw new DatasetException(_files[index], reason);
    }

    private static bool IsImageFile(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    // Decodes every file (into its place in the cache when there is one); returns each file's failure, or null.
    private static string?[] DecodeAll(List<string> files, ImageFolderOptions options, byte[]? cache)
    {
        int imageBytes = options.Channels * options.Height * options.Width;
        var failures = new string?[files.Count];
        int threads = options.DecodeThreads > 0 ? options.DecodeThreads : Environment.ProcessorCount;
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            byte[]? rented = cache is null ? ArrayPool<byte>.Shared.Rent(imageBytes) : null;
            try
            {
                var target = cache is null ? rented.AsSpan(0, imageBytes) : cache.AsSpan(i * imageBytes, imageBytes);
                failures[i] = TryDecode(files[i], options.Channels, options.Height, options.Width, options.MaxPixels, target);
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        });
        return failures;
    }

    // Decodes and resizes one file into pixels ([channels, height, width]); returns why it failed, or null.
    private static string? TryDecode(string path, int channels, int height, int width, long maxPixels, Span<byte> pixels)
    {
        int sourceHeight, sourceWidth;
        byte[] interleaved;
        try
        {
            // The header's size first: nothing is decoded (or allocated) for an image over the limit.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            var info = Image.Identify(DecoderConfiguration, stream);
            if (info is null) return NotAnImage;
            long size = (long)info.Width * info.Height;
            if (size > maxPixels)
                return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{info.Width} x {info.Height} is {size / 1e6:G3} megapixels, over the limit of {maxPixels / 1e6:G3} (--max-megapixels)");
            stream.Position = 0;
            using var image = Image.Load<Rgb24>(DecoderConfiguration, stream);
            sourceHeight = image.Height;
            sourceWidth = image.Width;
            interleaved = ArrayPool<byte>.Shared.Rent(sourceHeight * sourceWidth * 3);
            image.CopyPixelDataTo(interleaved.AsSpan(0, sourceHeight * sourceWidth * 3));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A decoder fed a damaged file can fail in many ways; under Skip every one of them means "leave it out".
            return DescribeFailure(e);
        }

        byte[] planar = ArrayPool<byte>.Shared.Rent(channels * sourceHeight * sourceWidth);
        try
        {
            int plane = sourceHeight * sourceWidth;
            for (int p = 0; p < plane; p++)
            {
                byte r = interleaved[3 * p], g = interleaved[3 * p + 1], b = interleaved[3 * p + 2];
                if (channels == 1)
                {
                    planar[p] = ImageOperations.Luma(r, g, b);
                }
                else
                {
                    planar[p] = r;
                    planar[plane + p] = g;
                    planar[2 * plane + p] = b;
                }
            }
            var resampler = t_resampler ??= new PillowBicubicResampler();
            resampler.Resize(planar.AsSpan(0, channels * plane), channels, sourceHeight, sourceWidth,
                new CropBox(0, 0, sourceHeight, sourceWidth), pixels, height, width);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(planar);
            ArrayPool<byte>.Shared.Return(interleaved);
        }
    }

    private const string NotAnImage = "not an image of a known format (" + FormatNames + ")";

    private static string DescribeFailure(Exception e) => e switch
    {
        UnknownImageFormatException => NotAnImage,
        InvalidImageContentException => "corrupt image data: " + FirstLine(e.Message),
        ImageFormatException => "cannot be decoded: " + FirstLine(e.Message),
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "cannot be read: permission denied",
        IOException => "cannot be read: " + FirstLine(e.Message),
        _ => $"cannot be decoded ({e.GetType().Name}): {FirstLine(e.Message)}",
    };

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
