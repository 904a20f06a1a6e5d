using System;

namespace DinoCompiled.Tests.Compiled;

/// <summary>
/// Backbone parameters under which an error shows. The initial weights (std 0.02) leave every attention score near 0,
/// so attention is a plain average and the branches are small beside the residual stream: then an error in the softmax
/// or a branch hardly shows. Instead: Linear weights of std 1 / sqrt(fan in), qkv weights of std sqrt(3 / D) (scores of
/// std about 3 on LayerNorm outputs of unit variance), and biases, class token and position embedding uniform in
/// [-0.5, 0.5]. LayerNorm weights keep their initial 1.
/// </summary>
internal static class InformativeParameters
{
    public static void Fill(Span<float> p, ParameterTable table, Random random)
    {
        long d = table["cls_token"].Count;
        foreach (var info in table)
        {
            if (info.Part != ModelPart.Backbone) continue;
            bool linear = info.Shape.Length == 2 && info.Name.EndsWith(".weight", StringComparison.Ordinal);
            double spread = info.Name.EndsWith(".attn.qkv.weight", StringComparison.Ordinal) ? 3 / Math.Sqrt(d)
                : linear ? Math.Sqrt(3.0 / info.Shape[1])
                : info.Name.EndsWith(".bias", StringComparison.Ordinal) || info.Name is "pos_embed" or "cls_token" ? 0.5
                : 0;
            if (spread > 0)
                for (long i = info.Offset; i < info.Offset + info.Count; i++) p[(int)i] = (float)((random.NextDouble() * 2 - 1) * spread);
        }
    }
}
