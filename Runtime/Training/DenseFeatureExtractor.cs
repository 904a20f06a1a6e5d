using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>
/// The backbone alone, forward only, at the global crop size, with what the forward leaves in its arena: every token of
/// any block's output (raw, or through the final norm as the reference's <c>get_intermediate_layers</c> returns them)
/// and any block's attention probabilities. For dense features, attention maps and probes on more than the CLS token.
/// The values are read from the generated schedule's taps (<see cref="ArenaTap"/>), so this runs the very forward the
/// trainer runs; the CLS row of the last block through the final norm is bitwise the CLS feature.
/// </summary>
/// <typeparam name="TModel">A model class compiled by the generator.</typeparam>
public sealed unsafe class DenseFeatureExtractor<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private readonly NativeBuffer _arena, _features, _mean, _rstd;
    private readonly ArenaPlan _plan;
    private readonly long _normWeight, _normBias;
    private readonly float _eps;
    private Ptr _parameters;
    private int _count;

    /// <summary>Plans for batches of up to <paramref name="maxBatch"/> images.</summary>
    public DenseFeatureExtractor(int maxBatch)
    {
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "The batch needs at least one image.");
        var description = TModel.Description;
        var a = description.Architecture;
        Crop = a.GlobalCrop;
        Dimension = a.EmbedDim;
        Tokens = (Crop / a.Patch) * (Crop / a.Patch) + 1;
        Blocks = a.Blocks.Length;
        MaxBatch = maxBatch;
        _plan = FindPlan(description, Crop);
        _normWeight = description.Parameters["norm.weight"].Offset;
        _normBias = description.Parameters["norm.bias"].Offset;
        _eps = (float)a.LayerNormEps;
        _arena = new NativeBuffer(_plan.FixedFloats + _plan.FloatsPerUnit * maxBatch);
        _features = new NativeBuffer((long)maxBatch * Dimension);
        _mean = new NativeBuffer((long)maxBatch * Tokens);
        _rstd = new NativeBuffer((long)maxBatch * Tokens);
    }

    /// <summary>The largest batch.</summary>
    public int MaxBatch { get; }

    /// <summary>The image size the backbone runs at (the global crop).</summary>
    public int Crop { get; }

    /// <summary>Tokens per image: the CLS token, then the patches in row-major grid order.</summary>
    public int Tokens { get; }

    /// <summary>Feature width D.</summary>
    public int Dimension { get; }

    /// <summary>Transformer blocks.</summary>
    public int Blocks { get; }

    /// <summary>Images of the last <see cref="Run"/>.</summary>
    public int Count => _count;

    /// <summary>Heads of block <paramref name="block"/>.</summary>
    public int Heads(int block) => TModel.Description.Architecture.Blocks[CheckBlock(block)].Heads;

    /// <summary>
    /// Runs <paramref name="images"/> [count, C, crop, crop] through the backbone of <paramref name="parameters"/>;
    /// the readers then give this batch's tensors (until the next run).
    /// </summary>
    public void Run(Ptr parameters, Ptr images, int count)
    {
        if (count < 1 || count > MaxBatch) throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch holds 1 to {MaxBatch} images.");
        TModel.BackboneForward(Crop, new SegmentBuffers { Parameters = parameters, Arena = _arena.Ptr, Units = count, Input = images, Output = _features.Ptr });
        _parameters = parameters;
        _count = count;
    }

    /// <summary>The CLS features [count, D] (the final norm's output, what <see cref="FeatureExtractor{TModel}"/> gives).</summary>
    public ReadOnlySpan<float> ClassFeatures => RequireRun()._features.Span.Slice(0, _count * Dimension);

    /// <summary>Block <paramref name="block"/>'s output [count, tokens, D] as the residual stream holds it (no final norm).</summary>
    public ReadOnlySpan<float> BlockOutput(int block) => TapSpan("blocks." + CheckBlock(block));

    /// <summary>
    /// Block <paramref name="block"/>'s output through the final LayerNorm, every token, into <paramref name="destination"/>
    /// [count, tokens, D]: the reference's <c>get_intermediate_layers</c> (the last block's is the dense feature map).
    /// </summary>
    public void NormalizedTokens(int block, Span<float> destination)
    {
        var tokens = BlockOutput(block);
        if (destination.Length < tokens.Length) throw new ArgumentException($"Need {tokens.Length} floats for the tokens, got {destination.Length}.", nameof(destination));
        fixed (float* x = tokens)
        fixed (float* y = destination)
            Cpu.LayerNorm.Forward(x, _parameters + _normWeight, _parameters + _normBias, y, _mean.Ptr, _rstd.Ptr, _count * Tokens, Dimension, _eps);
    }

    /// <summary>Block <paramref name="block"/>'s attention probabilities [count, heads, tokens (query), tokens (key)].</summary>
    public ReadOnlySpan<float> AttentionProbabilities(int block) => TapSpan("blocks." + CheckBlock(block) + ".attn.probs");

    /// <inheritdoc/>
    public void Dispose()
    {
        _arena.Dispose();
        _features.Dispose();
        _mean.Dispose();
        _rstd.Dispose();
    }

    private ReadOnlySpan<float> TapSpan(string name)
    {
        RequireRun();
        var tap = _plan.Tap(name);
        return new ReadOnlySpan<float>(_arena.Ptr + _plan.FixedFloats + tap.Offset * _count, checked((int)(tap.CountPerUnit * _count)));
    }

    private DenseFeatureExtractor<TModel> RequireRun() =>
        _count > 0 ? this : throw new InvalidOperationException("Run a batch before reading its features.");

    private int CheckBlock(int block) =>
        block >= 0 && block < Blocks ? block : throw new ArgumentOutOfRangeException(nameof(block), block, $"{TModel.Description.Name} has blocks 0 to {Blocks - 1}.");

    private static ArenaPlan FindPlan(ModelDescription description, int crop)
    {
        foreach (var plan in description.Arenas)
            if (plan.Crop == crop) return plan;
        throw new InvalidOperationException($"{description.Name} has no compiled backbone for crop {crop}.");
    }
}
