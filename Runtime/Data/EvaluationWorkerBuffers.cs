namespace DinoCompiled.Data;

/// <summary>What one thread of an <see cref="EvaluationLoader"/> reuses: the source image, its resized form, the resampler's tables.</summary>
internal sealed class EvaluationWorkerBuffers(IImageDataset dataset, int imageSize)
{
    public byte[] Source { get; } = new byte[dataset.Channels * dataset.Height * dataset.Width];

    public byte[] Resized { get; } = new byte[dataset.Channels * imageSize * imageSize];

    public PillowBicubicResampler Resampler { get; } = new();
}
