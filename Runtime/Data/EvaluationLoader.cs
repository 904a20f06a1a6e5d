using System;
using System.Threading.Tasks;

namespace DinoCompiled.Data;

/// <summary>
/// Whole images in dataset order for evaluation (k-NN features, linear probe): each image resized bicubically (as
/// Pillow) to the global crop size when its size differs, normalized with the dataset's statistics unless others are
/// given, in batches [B, C, S, S]; the last batch holds the remainder. No randomness, so features are reproducible.
/// </summary>
public sealed class EvaluationLoader : IDisposable
{
    private readonly IImageDataset _dataset;
    private readonly PixelNormalizer _normalizer;
    private readonly EvaluationBatch _batch;
    private readonly EvaluationWorkerBuffers[] _workers;

    /// <summary>Prepares batches of <paramref name="batchSize"/> images of side <paramref name="imageSize"/>, made by <paramref name="threads"/> threads.</summary>
    public EvaluationLoader(IImageDataset dataset, int imageSize, int batchSize, NormalizationStatistics? normalization = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (imageSize < 1) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "The image size must be positive.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch holds at least one image.");
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The loader needs at least one thread.");
        normalization ??= dataset.Normalization;
        if (normalization.Channels != dataset.Channels)
            throw new ArgumentException($"The images have {dataset.Channels} channels but the normalization has {normalization.Channels}.", nameof(normalization));
        _dataset = dataset;
        _normalizer = new PixelNormalizer(normalization);
        ImageSize = imageSize;
        BatchSize = batchSize;
        _batch = new EvaluationBatch(batchSize, dataset.Channels, imageSize);
        _workers = new EvaluationWorkerBuffers[Math.Min(threads, batchSize)];
        for (int w = 0; w < _workers.Length; w++) _workers[w] = new EvaluationWorkerBuffers(dataset, imageSize);
    }

    /// <summary>Side of the images handed out.</summary>
    public int ImageSize { get; }

    /// <summary>Images per full batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches covering the whole dataset: ⌈Count / B⌉.</summary>
    public int BatchCount => (_dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Makes batch <paramref name="batchIndex"/>; the result is valid until the next call.</summary>
    public EvaluationBatch ReadBatch(int batchIndex)
    {
        if ((uint)batchIndex >= (uint)BatchCount) throw new ArgumentOutOfRangeException(nameof(batchIndex), batchIndex, $"There are {BatchCount} batches.");
        _batch.Start = batchIndex * BatchSize;
        _batch.Count = Math.Min(BatchSize, _dataset.Count - _batch.Start);
        if (_workers.Length == 1)
            Fill(0);
        else
            Parallel.For(0, _workers.Length, Fill);
        return _batch;
    }

    /// <inheritdoc/>
    public void Dispose() => _batch.FreeBuffer();

    // Worker w makes images w, w + W, w + 2W, … of the batch.
    private void Fill(int worker)
    {
        var buffers = _workers[worker];
        var labels = _batch.LabelStorage;
        int channels = _dataset.Channels, height = _dataset.Height, width = _dataset.Width;
        bool resize = height != ImageSize || width != ImageSize;
        for (int position = worker; position < _batch.Count; position += _workers.Length)
        {
            int index = _batch.Start + position;
            labels[position] = _dataset.Label(index);
            _dataset.ReadImage(index, buffers.Source);
            ReadOnlySpan<byte> pixels = buffers.Source;
            if (resize)
            {
                buffers.Resampler.Resize(buffers.Source, channels, height, width, new CropBox(0, 0, height, width), buffers.Resized, ImageSize, ImageSize);
                pixels = buffers.Resized;
            }
            _normalizer.Normalize(pixels, _batch.WritableImage(position));
        }
    }
}
