using System.Collections.Generic;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// A graph IR segment: the forward (and, after <see cref="Autodiff"/>, backward) schedule of one part of the network
/// run on one batch: the backbone at one crop size, or the head. Ids are assigned in creation order, so they are
/// deterministic for a given model.
/// </summary>
internal sealed class Graph
{
    private int _nextTensor;
    private int _nextNode;

    public Graph(string name) => Name = name;

    /// <summary>The segment's name in emitted members (<c>Backbone28</c>, <c>Head</c>).</summary>
    public string Name { get; }

    public List<GraphTensor> Tensors { get; } = new();
    public List<GraphNode> Forward { get; } = new();
    public List<GraphNode> Backward { get; } = new();

    public GraphTensor Arena(string name, int rowsPerUnit, int cols) => Add(new GraphTensor(_nextTensor++, name, TensorRole.Arena, rowsPerUnit, cols));

    public GraphTensor FixedArena(string name, long count) => Add(new GraphTensor(_nextTensor++, name, TensorRole.Arena, 0, 0, count));

    public GraphTensor External(string name, string expression, int rowsPerUnit, int cols) =>
        Add(new GraphTensor(_nextTensor++, name, TensorRole.External, rowsPerUnit, cols) { External = expression });

    public GraphTensor Parameter(string name, long offset, long count) =>
        Add(new GraphTensor(_nextTensor++, name, TensorRole.Parameter, 0, 0, count) { ParameterOffset = offset });

    public GraphTensor GradientOfParameter(GraphTensor parameter) =>
        Add(new GraphTensor(_nextTensor++, "grad." + parameter.Name, TensorRole.ParameterGradient, 0, 0, parameter.FixedCount) { ParameterOffset = parameter.ParameterOffset });

    public GraphTensor Alias(string name, GraphTensor of) =>
        Add(new GraphTensor(_nextTensor++, name, TensorRole.Arena, of.RowsPerUnit, of.Cols, of.FixedCount) { AliasOf = of });

    public GraphNode Node(OpKind op, string layer, IEnumerable<GraphTensor> inputs, IEnumerable<GraphTensor> outputs, bool backward = false)
    {
        var node = new GraphNode(_nextNode++, op, layer);
        node.Inputs.AddRange(inputs);
        node.Outputs.AddRange(outputs);
        (backward ? Backward : Forward).Add(node);
        return node;
    }

    private GraphTensor Add(GraphTensor tensor)
    {
        Tensors.Add(tensor);
        return tensor;
    }
}
