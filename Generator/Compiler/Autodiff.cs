using System;
using System.Collections.Generic;
using System.Linq;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// Reverse-mode differentiation of a forward graph: walks the forward nodes backwards and applies one rule per op kind.
/// Gradients of parameters are views into the flat gradient buffer and are always accumulated (several crop groups
/// share the weights); the gradient of an activation is written by its last consumer and accumulated by the others.
/// The identity path of a residual add aliases the incoming gradient instead of copying it.
/// </summary>
internal sealed class Autodiff
{
    private readonly Graph _graph;
    private readonly Dictionary<GraphTensor, GraphTensor> _gradients = new();
    private readonly HashSet<GraphTensor> _needsGradient = new();
    private GraphNode _current = null!;

    private Autodiff(Graph graph) => _graph = graph;

    /// <summary>Appends the backward schedule to <paramref name="graph"/>.</summary>
    /// <param name="outputGradient">The gradient of the forward's final output (an external buffer).</param>
    /// <param name="inputGradient">Where the gradient of the external input goes (the head's feature gradient), or null when the input needs none (images).</param>
    public static void Differentiate(Graph graph, GraphTensor output, GraphTensor outputGradient, GraphTensor? input, GraphTensor? inputGradient)
    {
        var autodiff = new Autodiff(graph);
        autodiff.MarkRequiringGradient(input is not null && inputGradient is not null ? input : null);
        autodiff._gradients[output] = outputGradient;
        if (input is not null && inputGradient is not null) autodiff._inputGradient = (input, inputGradient);
        for (int i = graph.Forward.Count - 1; i >= 0; i--)
        {
            autodiff._current = graph.Forward[i];
            autodiff.Apply(graph.Forward[i]);
        }
    }

    private (GraphTensor Input, GraphTensor Gradient)? _inputGradient;

    private void MarkRequiringGradient(GraphTensor? input)
    {
        if (input is not null) _needsGradient.Add(input);
        foreach (var tensor in _graph.Tensors.Where(t => t.Role == TensorRole.Parameter)) _needsGradient.Add(tensor);
        foreach (var node in _graph.Forward)
            if (node.Inputs.Any(_needsGradient.Contains))
                foreach (var output in node.Outputs) _needsGradient.Add(output);
    }

    private void Apply(GraphNode node)
    {
        var inputs = node.Inputs;
        var dy = _gradients.TryGetValue(node.Outputs[0], out var g) ? g : null;
        if (dy is null) return; // the output does not reach the loss
        switch (node.Op)
        {
            case OpKind.Im2Col:
                return; // images need no gradient
            case OpKind.Linear:
                if (Needs(inputs[0]))
                {
                    var (dx, accumulate) = Target(inputs[0]);
                    Emit(OpKind.LinearInputGrad, new[] { dy, inputs[1] }, dx, node, accumulate);
                }
                Emit(OpKind.LinearWeightGrad, new[] { dy, inputs[0] }, ParameterGradient(inputs[1]), node, true);
                if (node.HasBias) Emit(OpKind.BiasGrad, new[] { dy }, ParameterGradient(inputs[2]), node, true);
                return;
            case OpKind.MatMul:
            {
                var (dx, accumulate) = Target(inputs[0]);
                Emit(OpKind.MatMulInputGrad, new[] { dy, inputs[1] }, dx, node, accumulate);
                var (dw, accumulateW) = Target(inputs[1]);
                Emit(OpKind.MatMulWeightGrad, new[] { dy, inputs[0] }, dw, node, accumulateW);
                return;
            }
            case OpKind.Gelu:
            {
                var (dx, accumulate) = Target(inputs[0]);
                Require(!accumulate, "a GELU input with several consumers");
                Emit(OpKind.GeluGrad, new[] { dy, inputs[0] }, dx, node, false);
                return;
            }
            case OpKind.ResidualAdd:
            {
                // y = x + s·branch: the gradient of x is dy itself; that of the branch is s·dy (s = 1 without drop path).
                var dBranch = _graph.Arena("grad." + inputs[1].Name, inputs[1].RowsPerUnit, inputs[1].Cols);
                Emit(OpKind.ScaleRows, new[] { dy }, dBranch, node, false);
                _gradients[inputs[1]] = dBranch;
                Identity(inputs[0], dy);
                return;
            }
            case OpKind.LayerNorm:
            {
                var (dx, accumulate) = Target(inputs[0]);
                var grad = Emit(OpKind.LayerNormGrad, new[] { dy, inputs[0], inputs[1], node.Outputs[1], node.Outputs[2] }, dx, node, accumulate);
                grad.Outputs.Add(ParameterGradient(inputs[1]));
                grad.Outputs.Add(ParameterGradient(inputs[2]));
                return;
            }
            case OpKind.Attention:
            {
                var (dqkv, accumulate) = Target(inputs[0]);
                Require(!accumulate, "a qkv tensor with several consumers");
                Emit(OpKind.AttentionGrad, new[] { dy, inputs[0], node.Outputs[1] }, dqkv, node, false);
                return;
            }
            case OpKind.AssembleTokens:
            {
                var (dPatches, accumulate) = Target(inputs[0]);
                Require(!accumulate, "patch tokens with several consumers");
                var positions = inputs[3];
                GraphTensor dPositions;
                if (positions.Role == TensorRole.Parameter) dPositions = ParameterGradient(positions);
                else
                {
                    // The resized grid is an intermediate: its gradient starts at zero, then flows back through the resize.
                    dPositions = _graph.FixedArena("grad." + positions.Name, positions.FixedCount);
                    Emit(OpKind.Clear, Array.Empty<GraphTensor>(), dPositions, node, false);
                    _gradients[positions] = dPositions;
                }
                var grad = Emit(OpKind.AssembleTokensGrad, new[] { dy }, dPatches, node, false);
                grad.Outputs.Add(ParameterGradient(inputs[1]));
                grad.Outputs.Add(ParameterGradient(inputs[2]));
                grad.Outputs.Add(dPositions);
                return;
            }
            case OpKind.ResizePositions:
                Emit(OpKind.ResizePositionsGrad, new[] { dy }, ParameterGradient(inputs[0]), node, true);
                return;
            case OpKind.GatherClass:
            {
                var (dx, accumulate) = Target(inputs[0]);
                Require(!accumulate, "a token tensor with several consumers");
                Emit(OpKind.ScatterClass, new[] { dy }, dx, node, false);
                return;
            }
            case OpKind.L2Normalize:
            {
                var (dx, accumulate) = Target(inputs[0]);
                Require(!accumulate, "a bottleneck tensor with several consumers");
                Emit(OpKind.L2NormalizeGrad, new[] { dy, inputs[0], node.Outputs[1] }, dx, node, false);
                return;
            }
            case OpKind.WeightNorm:
            {
                var grad = Emit(OpKind.WeightNormGrad, new[] { dy, inputs[0], inputs[1], node.Outputs[1] }, ParameterGradient(inputs[1]), node, true);
                grad.TrainsGain = node.TrainsGain;
                if (node.TrainsGain) grad.Outputs.Add(ParameterGradient(inputs[0]));
                return;
            }
            default:
                throw new InvalidOperationException("No backward rule for " + node.Op + ".");
        }
    }

    private bool Needs(GraphTensor tensor) => _needsGradient.Contains(tensor);

    /// <summary>The buffer a gradient contribution goes to, and whether it accumulates (a later consumer wrote first).</summary>
    private (GraphTensor Gradient, bool Accumulate) Target(GraphTensor x)
    {
        if (_gradients.TryGetValue(x, out var existing)) return (existing, true);
        GraphTensor gradient = _inputGradient is { } input && input.Input == x
            ? input.Gradient
            : x.IsFixed ? _graph.FixedArena("grad." + x.Name, x.FixedCount) : _graph.Arena("grad." + x.Name, x.RowsPerUnit, x.Cols);
        _gradients[x] = gradient;
        return (gradient, false);
    }

    private void Identity(GraphTensor x, GraphTensor dy)
    {
        if (_gradients.TryGetValue(x, out var existing))
            Emit(OpKind.Accumulate, new[] { dy }, existing, _current, true);
        else
            _gradients[x] = _graph.Alias("grad." + x.Name, dy);
    }

    private GraphTensor ParameterGradient(GraphTensor parameter)
    {
        if (!_gradients.TryGetValue(parameter, out var gradient))
            _gradients[parameter] = gradient = _graph.GradientOfParameter(parameter);
        return gradient;
    }

    private GraphNode Emit(OpKind op, GraphTensor[] inputs, GraphTensor output, GraphNode forward, bool accumulate)
    {
        var node = _graph.Node(op, forward.Layer, inputs, new[] { output }, backward: true);
        node.ForwardOf = forward;
        node.Accumulate = accumulate;
        node.Rows = forward.Rows; node.In = forward.In; node.Out = forward.Out; node.Heads = forward.Heads; node.HeadDim = forward.HeadDim;
        node.Grid = forward.Grid; node.SourceGrid = forward.SourceGrid; node.Eps = forward.Eps; node.HasBias = forward.HasBias;
        node.DropSlot = forward.DropSlot;
        return node;
    }

    private static void Require(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("Autodiff does not support " + what + ".");
    }
}
