using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Checkpoints;
using DinoCompiled.Compiled;
using DinoCompiled.Training;

namespace DinoCompiled.Cli;

/// <summary>
/// Which tokens of which blocks <c>dino features</c> writes: <c>--tokens cls|patch|all</c> and <c>--blocks</c> (block
/// indices from 0, comma-separated; negative ones count from the end; default the last). Every block's tokens go
/// through the final norm, as the reference's <c>get_intermediate_layers</c> does, so the last block's CLS tokens are
/// the CLS features. One block gives [N, D] (cls) or [N, tokens, D]; several give [N, blocks, ...].
/// </summary>
public sealed class TokenSelection
{
    private TokenSelection(string tokens, IReadOnlyList<int> blocks, bool blocksGiven) => (Tokens, Blocks, _blocksGiven) = (tokens, blocks, blocksGiven);

    private readonly bool _blocksGiven;

    /// <summary><c>cls</c>, <c>patch</c> or <c>all</c>.</summary>
    public string Tokens { get; }

    /// <summary>The blocks, in the order given.</summary>
    public IReadOnlyList<int> Blocks { get; }

    public static TokenSelection Parse(string tokens, string? blocks, int depth)
    {
        if (tokens is not ("cls" or "patch" or "all")) throw new CliException($"features: --tokens takes 'cls', 'patch' or 'all', not '{tokens}'");
        if (blocks is null) return new TokenSelection(tokens, [depth - 1], blocksGiven: false);
        var list = new List<int>();
        foreach (string part in blocks.Split(','))
        {
            if (!int.TryParse(part.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int block) ||
                block >= depth || block < -depth)
                throw new CliException($"features: --blocks takes block numbers from 0 to {depth - 1} (or -1 for the last), comma-separated, not '{blocks}'");
            list.Add(block < 0 ? depth + block : block);
        }
        if (list.Distinct().Count() != list.Count) throw new CliException($"features: --blocks names a block twice: '{blocks}'");
        return new TokenSelection(tokens, list, blocksGiven: true);
    }

    /// <summary>The .npy shape for <paramref name="images"/> images.</summary>
    public long[] Shape(int images, int tokens, int dim)
    {
        var shape = new List<long> { images };
        if (_blocksGiven && Blocks.Count > 1) shape.Add(Blocks.Count);
        if (Tokens != "cls") shape.Add(Tokens == "all" ? tokens : tokens - 1);
        shape.Add(dim);
        return shape.ToArray();
    }

    /// <summary>Appends this batch's selected tokens, image by image, block by block.</summary>
    public void Write<TModel>(DenseFeatureExtractor<TModel> dense, NpyFileWriter file) where TModel : ICompiledDinoModel
    {
        int t = dense.Tokens, d = dense.Dimension, first = Tokens == "patch" ? 1 : 0, kept = Tokens == "cls" ? 1 : t - first;
        // One buffer per block for the largest batch, reused batch after batch.
        _normalized ??= Blocks.Select(_ => new float[(long)dense.MaxBatch * t * d]).ToArray();
        for (int i = 0; i < Blocks.Count; i++) dense.NormalizedTokens(Blocks[i], _normalized[i]);
        for (int n = 0; n < dense.Count; n++)
            foreach (var tokens in _normalized)
                file.Append(tokens.AsSpan((n * t + first) * d, kept * d));
    }

    private float[][]? _normalized;

    /// <summary>What the file holds, for the command's report.</summary>
    public string Describe() =>
        (Tokens switch { "cls" => "CLS tokens", "patch" => "patch tokens", _ => "tokens (CLS, then patches)" }) +
        " of block" + (Blocks.Count > 1 ? "s " : " ") + string.Join(", ", Blocks) + " through the final norm";
}
