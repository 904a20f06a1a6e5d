using System.Collections.Generic;

namespace DinoCompiled.Generator.Compiler;

/// <summary>
/// One operation of the graph IR: its kind, the tensors it reads and writes, and its static dimensions.
/// Dimensions are per unit of the batch where they count rows (<see cref="Rows"/>); everything else is constant.
/// </summary>
internal sealed class GraphNode
{
    public GraphNode(int id, OpKind op, string layer)
    {
        Id = id;
        Op = op;
        Layer = layer;
    }

    public int Id { get; }
    public OpKind Op { get; set; }

    /// <summary>The layer it belongs to (<c>blocks.3</c>), for comments in the emitted code.</summary>
    public string Layer { get; }

    public List<GraphTensor> Inputs { get; } = new();
    public List<GraphTensor> Outputs { get; } = new();

    /// <summary>Rows per unit of the batch (tokens per image in the backbone, 1 in the head).</summary>
    public int Rows { get; set; }
    public int In { get; set; }
    public int Out { get; set; }
    public int Heads { get; set; }
    public int HeadDim { get; set; }
    public int Channels { get; set; }
    public int Size { get; set; }
    public int Patch { get; set; }
    public int Grid { get; set; }
    public int SourceGrid { get; set; }
    public double Eps { get; set; }
    public bool HasBias { get; set; }

    /// <summary>For WeightNorm: whether <c>weight_g</c> is trained (has a gradient).</summary>
    public bool TrainsGain { get; set; }

    /// <summary>Accumulate into the output instead of overwriting it.</summary>
    public bool Accumulate { get; set; }

    /// <summary>Index of the per-sample drop-path scales (block × 2 + branch), or −1 for none.</summary>
    public int DropSlot { get; set; } = -1;

    /// <summary>For fused ops: the tensor the epilogue reads (residual, or GELU pre-activation).</summary>
    public GraphTensor? EpilogueInput { get; set; }

    /// <summary>For LinearGelu: where the pre-activation is stored.</summary>
    public GraphTensor? PreActivation { get; set; }

    /// <summary>The forward node a backward node was derived from.</summary>
    public GraphNode? ForwardOf { get; set; }

    public override string ToString() => Op + "#" + Id + " " + Layer;
}
