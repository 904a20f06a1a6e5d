using System;
using DinoCompiled.Tests.Kernels;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// The ViT backbone in float64, written from the reference DINO's <c>vision_transformer.py</c> and not from the compiled
/// schedule: conv patch embedding, class token, position embedding (at the crop it is laid out for, so no resize),
/// pre-norm blocks (timm's qkv layout [3, heads, head dim]; softmax(q kᵀ / sqrt(head dim)) v; the exact erf GELU), the
/// final LayerNorm, and the class token out. Parameters are read from the flat buffer by their official keys.
/// </summary>
internal sealed class ReferenceBackbone
{
    private readonly ArchitectureInfo _a;
    private readonly ParameterTable _table;

    public ReferenceBackbone(ModelDescription description) => (_a, _table) = (description.Architecture, description.Parameters);

    /// <summary>CLS features [count, D] of <paramref name="images"/> [count, C, crop, crop] at the image size the position embedding has.</summary>
    /// <param name="observeBlock">
    /// Called after each block with the image, the block, its output [tokens, D] (the residual stream, no final norm) and
    /// its attention probabilities [heads, tokens, tokens]; the arrays are reused, so copy what is kept.
    /// </param>
    public double[] Forward(double[] parameters, float[] images, int count, Action<int, int, double[], double[]>? observeBlock = null)
    {
        int d = _a.EmbedDim, c = _a.Channels, p = _a.Patch, crop = _a.ImageSize, grid = crop / p, tokens = grid * grid + 1;
        var features = new double[(long)count * d];
        var x = new double[tokens * d];
        for (int n = 0; n < count; n++)
        {
            var w = Tensor(parameters, "patch_embed.proj.weight");
            var bias = Tensor(parameters, "patch_embed.proj.bias");
            var cls = Tensor(parameters, "cls_token");
            var pos = Tensor(parameters, "pos_embed");
            for (int j = 0; j < d; j++) x[j] = cls[j] + pos[j];
            for (int gy = 0; gy < grid; gy++)
                for (int gx = 0; gx < grid; gx++)
                {
                    int t = 1 + gy * grid + gx;
                    for (int j = 0; j < d; j++)
                    {
                        double s = bias[j];
                        for (int ch = 0; ch < c; ch++)
                            for (int ky = 0; ky < p; ky++)
                                for (int kx = 0; kx < p; kx++)
                                    s += w[((j * c + ch) * p + ky) * p + kx] * images[(((long)n * c + ch) * crop + gy * p + ky) * crop + gx * p + kx];
                        x[t * d + j] = s + pos[t * d + j];
                    }
                }
            for (int b = 0; b < _a.Depth; b++)
            {
                var probs = observeBlock is null ? null : new double[_a.Blocks[b].Heads * tokens * tokens];
                Block(parameters, b, x, tokens, probs);
                observeBlock?.Invoke(n, b, x, probs!);
            }
            var normed = LayerNorm(x, tokens, Tensor(parameters, "norm.weight"), Tensor(parameters, "norm.bias"));
            Array.Copy(normed, 0, features, (long)n * d, d);
        }
        return features;
    }

    private void Block(double[] parameters, int index, double[] x, int tokens, double[]? probs)
    {
        int d = _a.EmbedDim, heads = _a.Blocks[index].Heads, dh = d / heads, hidden = _a.Blocks[index].MlpHidden;
        string p = "blocks." + index + ".";
        var h = LayerNorm(x, tokens, Tensor(parameters, p + "norm1.weight"), Tensor(parameters, p + "norm1.bias"));
        var qkv = Linear(h, tokens, d, 3 * d, Tensor(parameters, p + "attn.qkv.weight"), _a.Blocks[index].QkvBias ? Tensor(parameters, p + "attn.qkv.bias") : null);
        var attended = new double[tokens * d];
        var scores = new double[tokens];
        double scale = 1 / Math.Sqrt(dh);
        for (int head = 0; head < heads; head++)
            for (int i = 0; i < tokens; i++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < tokens; k++)
                {
                    double s = 0;
                    for (int e = 0; e < dh; e++) s += qkv[i * 3 * d + head * dh + e] * qkv[k * 3 * d + d + head * dh + e];
                    scores[k] = s * scale;
                    max = Math.Max(max, scores[k]);
                }
                double sum = 0;
                for (int k = 0; k < tokens; k++) sum += scores[k] = Math.Exp(scores[k] - max);
                if (probs is not null)
                    for (int k = 0; k < tokens; k++) probs[(head * tokens + i) * tokens + k] = scores[k] / sum;
                for (int e = 0; e < dh; e++)
                {
                    double s = 0;
                    for (int k = 0; k < tokens; k++) s += scores[k] * qkv[k * 3 * d + 2 * d + head * dh + e];
                    attended[i * d + head * dh + e] = s / sum;
                }
            }
        var projected = Linear(attended, tokens, d, d, Tensor(parameters, p + "attn.proj.weight"), Tensor(parameters, p + "attn.proj.bias"));
        for (int i = 0; i < x.Length; i++) x[i] += projected[i];

        h = LayerNorm(x, tokens, Tensor(parameters, p + "norm2.weight"), Tensor(parameters, p + "norm2.bias"));
        var up = Linear(h, tokens, d, hidden, Tensor(parameters, p + "mlp.fc1.weight"), Tensor(parameters, p + "mlp.fc1.bias"));
        for (int i = 0; i < up.Length; i++) up[i] = ReferenceMath.Gelu(up[i]);
        var down = Linear(up, tokens, hidden, d, Tensor(parameters, p + "mlp.fc2.weight"), Tensor(parameters, p + "mlp.fc2.bias"));
        for (int i = 0; i < x.Length; i++) x[i] += down[i];
    }

    /// <summary>The final LayerNorm of every row of <paramref name="x"/> [rows, D].</summary>
    public double[] FinalNorm(double[] parameters, double[] x, int rows) => LayerNorm(x, rows, Tensor(parameters, "norm.weight"), Tensor(parameters, "norm.bias"));

    private double[] LayerNorm(double[] x, int rows, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias)
    {
        int d = _a.EmbedDim;
        var y = new double[rows * d];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int j = 0; j < d; j++) mean += x[r * d + j];
            mean /= d;
            for (int j = 0; j < d; j++) variance += (x[r * d + j] - mean) * (x[r * d + j] - mean);
            double rstd = 1 / Math.Sqrt(variance / d + _a.LayerNormEps);
            for (int j = 0; j < d; j++) y[r * d + j] = (x[r * d + j] - mean) * rstd * weight[j] + bias[j];
        }
        return y;
    }

    /// <summary>y = x Wᵀ + b with W [outputs, inputs] as nn.Linear stores it.</summary>
    private static double[] Linear(double[] x, int rows, int inputs, int outputs, ReadOnlySpan<double> weight, double[]? bias)
    {
        var y = new double[rows * outputs];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outputs; o++)
            {
                double s = bias?[o] ?? 0;
                for (int i = 0; i < inputs; i++) s += x[r * inputs + i] * weight[o * inputs + i];
                y[r * outputs + o] = s;
            }
        return y;
    }

    private double[] Tensor(double[] parameters, string name)
    {
        var info = _table[name];
        return parameters.AsSpan((int)info.Offset, (int)info.Count).ToArray();
    }
}
