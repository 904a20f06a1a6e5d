// The graph being built: nodes in topological order (the order they are added), the constant
// tensors they read, and the declared inputs and outputs. Small parts are encoded as they are
// added; initializers are streamed when the graph is written, after its length is known.
using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace DinoCompiled.Onnx;

/// <summary>Builds a <c>GraphProto</c>: every value name is defined once, by an input, an initializer or a node.</summary>
internal sealed class OnnxGraph
{
    private readonly List<byte[]> _nodes = new();
    private readonly List<OnnxInitializer> _initializers = new();
    private readonly List<byte[]> _inputs = new();
    private readonly List<byte[]> _outputs = new();
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);

    /// <summary>A graph with this name.</summary>
    public OnnxGraph(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; }

    /// <summary>Number of nodes so far.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>Whether a value of this name exists already.</summary>
    public bool IsDefined(string name) => _defined.Contains(name);

    /// <summary>Declares a graph input.</summary>
    public string AddInput(OnnxValueInfo input)
    {
        Define(input.Name);
        _inputs.Add(input.Encode());
        return input.Name;
    }

    /// <summary>Declares a graph output (a value some node defines).</summary>
    public void AddOutput(OnnxValueInfo output)
    {
        if (!_defined.Contains(output.Name)) throw new InvalidOperationException($"Graph output '{output.Name}' is not defined by any node.");
        _outputs.Add(output.Encode());
    }

    /// <summary>Adds a constant tensor and returns its name.</summary>
    public string AddInitializer(OnnxInitializer initializer)
    {
        Define(initializer.Name);
        _initializers.Add(initializer);
        return initializer.Name;
    }

    /// <summary>Adds a node with one output named <paramref name="output"/> (which also names the node) and returns that name.</summary>
    public string AddNode(string opType, string output, ImmutableArray<string> inputs, params OnnxAttribute[] attributes)
    {
        foreach (string input in inputs)
            if (!_defined.Contains(input)) throw new InvalidOperationException($"Node '{output}' ({opType}) reads '{input}', which is not defined yet.");
        Define(output);
        _nodes.Add(new OnnxNode(output, opType, inputs, ImmutableArray.Create(output), ImmutableArray.Create(attributes)).Encode());
        return output;
    }

    /// <summary>Bytes of the encoded <c>GraphProto</c>.</summary>
    public long EncodedLength
    {
        get
        {
            long length = FieldLength(OnnxFields.GraphName, System.Text.Encoding.UTF8.GetByteCount(Name));
            foreach (var node in _nodes) length += FieldLength(OnnxFields.GraphNode, node.Length);
            foreach (var initializer in _initializers) length += FieldLength(OnnxFields.GraphInitializer, initializer.EncodedLength);
            foreach (var input in _inputs) length += FieldLength(OnnxFields.GraphInput, input.Length);
            foreach (var output in _outputs) length += FieldLength(OnnxFields.GraphOutput, output.Length);
            return length;
        }
    }

    /// <summary>Writes the <c>GraphProto</c>'s fields (not its own tag and length).</summary>
    public void WriteTo(ProtobufWriter writer)
    {
        foreach (var node in _nodes) writer.WriteBytes(OnnxFields.GraphNode, node);
        writer.WriteString(OnnxFields.GraphName, Name);
        foreach (var initializer in _initializers)
        {
            writer.WriteLengthPrefix(OnnxFields.GraphInitializer, initializer.EncodedLength);
            initializer.WriteTo(writer);
        }

        foreach (var input in _inputs) writer.WriteBytes(OnnxFields.GraphInput, input);
        foreach (var output in _outputs) writer.WriteBytes(OnnxFields.GraphOutput, output);
    }

    private static long FieldLength(int field, long length) => ProtobufWriter.LengthPrefixSize(field, length) + length;

    private void Define(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_defined.Add(name)) throw new InvalidOperationException($"The graph defines '{name}' twice.");
    }
}
