using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace DinoCompiled;

/// <summary>
/// Every parameter of a compiled model in state-dict order, with its place in one flat buffer.
/// Offsets are aligned to <see cref="Alignment"/> elements so each tensor starts on a 64-byte boundary;
/// the padding between tensors is part of <see cref="FlatLength"/> and stays zero.
/// </summary>
public sealed class ParameterTable : IReadOnlyList<ParameterInfo>
{
    /// <summary>Alignment of every tensor's offset, in elements (64 bytes of float32).</summary>
    public const int Alignment = 16;

    private readonly ImmutableArray<ParameterInfo> _parameters;
    private readonly Dictionary<string, ParameterInfo> _byName;

    /// <summary>Builds the table; the generated code is its only intended caller.</summary>
    /// <exception cref="ArgumentException">Two parameters share a name, or offsets overlap or are misaligned.</exception>
    public ParameterTable(ImmutableArray<ParameterInfo> parameters, long flatLength)
    {
        _parameters = parameters;
        _byName = new Dictionary<string, ParameterInfo>(parameters.Length, StringComparer.Ordinal);
        long end = 0;
        foreach (var p in parameters)
        {
            if (!_byName.TryAdd(p.Name, p))
                throw new ArgumentException($"Parameter '{p.Name}' appears twice.", nameof(parameters));
            if (p.Offset < end || p.Offset % Alignment != 0)
                throw new ArgumentException($"Parameter '{p.Name}' has offset {p.Offset}, which overlaps the previous tensor or is not aligned to {Alignment}.", nameof(parameters));
            end = p.Offset + p.Count;
            TotalCount += p.Count;
            if (p.Part == ModelPart.Backbone) BackboneCount += p.Count; else HeadCount += p.Count;
            if (p.Trainable) TrainableCount += p.Count;
        }
        if (flatLength < end)
            throw new ArgumentException($"Flat length {flatLength} is shorter than the last tensor's end {end}.", nameof(flatLength));
        FlatLength = flatLength;
    }

    /// <summary>Elements in the backbone's tensors.</summary>
    public long BackboneCount { get; }

    /// <summary>Elements in the head's tensors (including <c>weight_g</c>).</summary>
    public long HeadCount { get; }

    /// <summary>Elements the optimizer updates.</summary>
    public long TrainableCount { get; }

    /// <summary>Elements in all tensors.</summary>
    public long TotalCount { get; }

    /// <summary>Length of the flat buffer, padding included.</summary>
    public long FlatLength { get; }

    /// <inheritdoc/>
    public int Count => _parameters.Length;

    /// <inheritdoc/>
    public ParameterInfo this[int index] => _parameters[index];

    /// <summary>The parameter with this state-dict key.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that key.</exception>
    public ParameterInfo this[string name] => _byName.TryGetValue(name, out var p)
        ? p
        : throw new KeyNotFoundException($"The model has no parameter '{name}'.");

    /// <summary>Looks a parameter up by its state-dict key.</summary>
    public bool TryGet(string name, out ParameterInfo parameter) => _byName.TryGetValue(name, out parameter!);

    /// <inheritdoc/>
    public IEnumerator<ParameterInfo> GetEnumerator() => ((IEnumerable<ParameterInfo>)_parameters).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
