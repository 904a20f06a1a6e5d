using System;

namespace DinoCompiled.Data;

/// <summary>
/// The taps of one axis of <see cref="PillowBicubicResampler"/>: for each output position a first input index, a count,
/// and 22-bit fixed-point weights, as Pillow's <c>precompute_coeffs</c> and <c>normalize_coeffs_8bpc</c>.
/// </summary>
internal sealed class PillowResampleAxis
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const double CubicA = -0.5;

    private int[] _bounds = [];
    private int[] _weights = [];
    private double[] _scratch = [];
    private int _kernelSize;

    public int First(int output) => _bounds[2 * output];

    public int Count(int output) => _bounds[2 * output + 1];

    public void Compute(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 2.0 * filterScale;
        _kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        if (_bounds.Length < 2 * outSize) _bounds = new int[2 * outSize];
        if (_weights.Length < outSize * _kernelSize) _weights = new int[outSize * _kernelSize];
        if (_scratch.Length < _kernelSize) _scratch = new double[_kernelSize];

        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
            // Pillow rounds with a C cast (toward zero), then clips to the box.
            int first = Math.Max((int)(center - support + 0.5), 0);
            int count = Math.Min((int)(center + support + 0.5), inSize) - first;
            double total = 0;
            for (int k = 0; k < count; k++)
            {
                double w = Cubic((k + first - center + 0.5) / filterScale);
                _scratch[k] = w;
                total += w;
            }
            var weights = _weights.AsSpan(o * _kernelSize, _kernelSize);
            weights.Clear();
            for (int k = 0; k < count; k++)
            {
                double w = total != 0 ? _scratch[k] / total : _scratch[k];
                weights[k] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            _bounds[2 * o] = first;
            _bounds[2 * o + 1] = count;
        }
    }

    public void Apply(ReadOnlySpan<byte> input, Span<byte> output)
    {
        for (int o = 0; o < output.Length; o++)
        {
            int first = _bounds[2 * o], count = _bounds[2 * o + 1];
            var weights = _weights.AsSpan(o * _kernelSize, count);
            var taps = input.Slice(first, count);
            int accumulator = 1 << (PrecisionBits - 1);
            for (int k = 0; k < count; k++) accumulator += taps[k] * weights[k];
            output[o] = Clip8(accumulator);
        }
    }

    // rows: [rowCount, width] starting at input row rowOffset; output: [outRows, width].
    public void ApplyRows(ReadOnlySpan<byte> rows, int rowOffset, int width, Span<byte> output)
    {
        Span<int> accumulators = width <= 1024 ? stackalloc int[width] : new int[width];
        int outRows = output.Length / width;
        for (int o = 0; o < outRows; o++)
        {
            int first = _bounds[2 * o] - rowOffset, count = _bounds[2 * o + 1];
            var weights = _weights.AsSpan(o * _kernelSize, count);
            accumulators.Fill(1 << (PrecisionBits - 1));
            for (int k = 0; k < count; k++)
            {
                int w = weights[k];
                var row = rows.Slice((first + k) * width, width);
                for (int x = 0; x < width; x++) accumulators[x] += row[x] * w;
            }
            var outRow = output.Slice(o * width, width);
            for (int x = 0; x < width; x++) outRow[x] = Clip8(accumulators[x]);
        }
    }

    // Pillow's bicubic_filter.
    private static double Cubic(double x)
    {
        if (x < 0) x = -x;
        if (x < 1) return ((CubicA + 2) * x - (CubicA + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * CubicA;
        return 0;
    }

    private static byte Clip8(int accumulator) => (byte)Math.Clamp(accumulator >> PrecisionBits, 0, 255);
}
