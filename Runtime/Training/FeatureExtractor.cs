using System;
using DinoCompiled.Compiled;

namespace DinoCompiled.Training;

/// <summary>
/// The backbone alone, forward only, at the global crop size: CLS features after the final norm for evaluation
/// (k-NN, feature export). Uses the compiled backbone with its own arena, sized once for the largest batch.
/// </summary>
/// <typeparam name="TModel">A model class compiled by the generator.</typeparam>
public sealed unsafe class FeatureExtractor<TModel> : IDisposable where TModel : ICompiledDinoModel
{
    private readonly NativeBuffer _arena;
    private readonly NativeBuffer _features;
    private readonly int _crop, _dim;

    /// <summary>Plans for batches of up to <paramref name="maxBatch"/> images.</summary>
    public FeatureExtractor(int maxBatch)
    {
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "The batch needs at least one image.");
        var description = TModel.Description;
        _crop = description.Architecture.GlobalCrop;
        _dim = description.Architecture.EmbedDim;
        MaxBatch = maxBatch;
        ArenaPlan? backbone = null;
        foreach (var plan in description.Arenas)
            if (plan.Crop == _crop) backbone = plan;
        if (backbone is null) throw new InvalidOperationException($"{description.Name} has no compiled backbone for crop {_crop}.");
        _arena = new NativeBuffer(backbone.FixedFloats + backbone.FloatsPerUnit * maxBatch);
        _features = new NativeBuffer((long)maxBatch * _dim);
    }

    /// <summary>The largest batch.</summary>
    public int MaxBatch { get; }

    /// <summary>Feature width D.</summary>
    public int Dimension => _dim;

    /// <summary>
    /// Runs <paramref name="images"/> [count, C, crop, crop] through the backbone of <paramref name="parameters"/> and copies
    /// the CLS features [count, D] into <paramref name="features"/>.
    /// </summary>
    public void Run(Ptr parameters, Ptr images, int count, Span<float> features)
    {
        if (count < 1 || count > MaxBatch) throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch holds 1 to {MaxBatch} images.");
        if (features.Length < count * _dim) throw new ArgumentException($"Need {count * _dim} floats for the features, got {features.Length}.", nameof(features));
        TModel.BackboneForward(_crop, new SegmentBuffers { Parameters = parameters, Arena = _arena.Ptr, Units = count, Input = images, Output = _features.Ptr });
        _features.Span.Slice(0, count * _dim).CopyTo(features);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _arena.Dispose();
        _features.Dispose();
    }
}
