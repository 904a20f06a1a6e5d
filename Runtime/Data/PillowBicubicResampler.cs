using System;

namespace DinoCompiled.Data;

/// <summary>
/// Resizes a box of a uint8 planar image bicubically, as Pillow's <c>Image.resize(size, BICUBIC)</c> does on the
/// cropped image (what torchvision's <c>RandomResizedCrop</c> and <c>Resize</c> run on PIL images in the reference
/// DINO): the cubic kernel with a = −0.5, widened by the scale factor when shrinking (so a downscale averages instead of
/// aliasing), taps restricted to the box and their weights renormalized at its edges, 22-bit fixed-point weights, and a
/// horizontal pass then a vertical pass, each rounded to uint8. A pass whose size does not change is skipped, as Pillow.
/// Keeps its coefficient tables and intermediate image between calls: one instance per thread.
/// </summary>
public sealed class PillowBicubicResampler
{
    private readonly PillowResampleAxis _horizontal = new();
    private readonly PillowResampleAxis _vertical = new();
    private byte[] _intermediate = [];

    /// <summary>
    /// Writes <paramref name="box"/> of <paramref name="source"/> ([channels, sourceHeight, sourceWidth]) resized to
    /// <paramref name="destination"/> ([channels, outputHeight, outputWidth]).
    /// </summary>
    public void Resize(ReadOnlySpan<byte> source, int channels, int sourceHeight, int sourceWidth, CropBox box,
        Span<byte> destination, int outputHeight, int outputWidth)
    {
        if (box.Top < 0 || box.Left < 0 || box.Height < 1 || box.Width < 1 || box.Top + box.Height > sourceHeight || box.Left + box.Width > sourceWidth)
            throw new ArgumentOutOfRangeException(nameof(box), box, $"The box is not inside the {sourceHeight}x{sourceWidth} image.");
        if (source.Length != channels * sourceHeight * sourceWidth || destination.Length != channels * outputHeight * outputWidth)
            throw new ArgumentException("The spans do not match the image sizes.");

        bool needHorizontal = outputWidth != box.Width;
        bool needVertical = outputHeight != box.Height;
        if (needVertical) _vertical.Compute(box.Height, outputHeight);

        // Rows of the box the vertical pass reads (all of them when it is skipped).
        int firstRow = needVertical ? _vertical.First(0) : 0;
        int endRow = needVertical ? _vertical.First(outputHeight - 1) + _vertical.Count(outputHeight - 1) : box.Height;
        int rows = endRow - firstRow;

        // Stage 1: the box's needed rows at the output width, in the intermediate [channels, rows, outputWidth].
        int stagePlane = rows * outputWidth;
        Span<byte> stage = needVertical ? Intermediate(channels * stagePlane) : destination;
        int sourcePlane = sourceHeight * sourceWidth;
        if (needHorizontal)
        {
            _horizontal.Compute(box.Width, outputWidth);
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < rows; y++)
                {
                    var sourceRow = source.Slice(c * sourcePlane + (box.Top + firstRow + y) * sourceWidth + box.Left, box.Width);
                    _horizontal.Apply(sourceRow, stage.Slice(c * stagePlane + y * outputWidth, outputWidth));
                }
        }
        else
        {
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < rows; y++)
                    source.Slice(c * sourcePlane + (box.Top + firstRow + y) * sourceWidth + box.Left, box.Width)
                        .CopyTo(stage.Slice(c * stagePlane + y * outputWidth, outputWidth));
        }

        // Stage 2: columns resampled, row by row (each output row is a weighted sum of whole intermediate rows).
        if (!needVertical) return;
        int outputPlane = outputHeight * outputWidth;
        for (int c = 0; c < channels; c++)
            _vertical.ApplyRows(stage.Slice(c * stagePlane, stagePlane), firstRow, outputWidth,
                destination.Slice(c * outputPlane, outputPlane));
    }

    private Span<byte> Intermediate(int length)
    {
        if (_intermediate.Length < length) _intermediate = new byte[length];
        return _intermediate.AsSpan(0, length);
    }
}
