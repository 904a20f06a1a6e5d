// One call of every kernel at small model-like shapes, on buffers allocated once: shared by
// the determinism tests (outputs compared bit for bit) and the allocation test.
using System;
using System.Collections.Generic;
using DinoCompiled.Cpu;

namespace DinoCompiled.Tests.Kernels;

internal sealed class KernelWorkload
{
    private const int Batch = 4, Tokens = 50, Heads = 4, HeadDim = 32, Dim = Heads * HeadDim, RowCount = Batch * Tokens, Hidden = 512;
    private const int Crops = 4, OutDim = 1000, Grid = 7, LocalGrid = 3;

    // Outputs that kernels add into; cleared before each run. A field, so that Run allocates nothing.
    private static readonly string[] Accumulated = { "dgamma", "dbeta", "dCls", "dPosCls", "dPos", "dPosResized", "dg", "dv" };

    private readonly Dictionary<string, float[]> buffers = new();
    private readonly BicubicResizePlan resize = new(Grid, LocalGrid, (LocalGrid + 0.1) / Grid);

    public KernelWorkload(int seed)
    {
        int s = seed;
        Input("x", RowCount * Dim, ++s);
        Input("w1", Hidden * Dim, ++s);
        Input("b1", Hidden, ++s);
        Input("w2", Dim * Hidden, ++s);
        Input("b2", Dim, ++s);
        Input("gamma", Dim, ++s);
        Input("beta", Dim, ++s);
        Input("qkv", RowCount * 3 * Dim, ++s);
        Input("dOut", RowCount * Dim, ++s);
        Input("scale", Batch, ++s);
        Input("images", Batch * 28 * 28, ++s);
        Input("pos", Grid * Grid * Dim, ++s);
        Input("cls", Dim, ++s);
        Input("student", Crops * Batch * OutDim, ++s);
        Input("teacher", 2 * Batch * OutDim, ++s);
        Input("center", OutDim, ++s);
        Input("g", OutDim, ++s);
        Input("v", OutDim * Dim, ++s);
        foreach ((string name, int length) in new[]
        {
            ("h", RowCount * Hidden), ("pre", RowCount * Hidden), ("y", RowCount * Dim), ("dh", RowCount * Hidden), ("dw1", Hidden * Dim),
            ("db1", Hidden), ("ln", RowCount * Dim), ("mean", RowCount), ("rstd", RowCount), ("dx", RowCount * Dim), ("dgamma", Dim), ("dbeta", Dim),
            ("attn", RowCount * Dim), ("probs", Batch * Heads * Tokens * Tokens), ("dQkv", RowCount * 3 * Dim), ("gelu", RowCount * Hidden),
            ("columns", Batch * 49 * 16), ("tokens", Batch * Tokens * Dim), ("dPatch", Batch * 49 * Dim), ("dCls", Dim), ("dPosCls", Dim),
            ("dPos", Grid * Grid * Dim), ("small", LocalGrid * LocalGrid * Dim), ("dPosResized", Grid * Grid * Dim), ("clsOut", Batch * Dim),
            ("dTokens", RowCount * Dim), ("scaled", RowCount * Dim), ("l2", OutDim * Dim), ("norms", OutDim), ("dl2", OutDim * Dim),
            ("w", OutDim * Dim), ("vNorms", OutDim), ("dg", OutDim), ("dv", OutDim * Dim), ("dStudent", Crops * Batch * OutDim),
            ("scratch", (int)DinoLoss.ScratchLength(Batch, Crops, OutDim)), ("centerOut", OutDim),
        })
        {
            buffers[name] = new float[length];
        }
    }

    public IReadOnlyDictionary<string, float[]> Buffers => buffers;

    public double Loss { get; private set; }

    /// <summary>Runs every kernel once; outputs depend only on the inputs (accumulators are reset first).</summary>
    public void Run()
    {
        foreach (string name in Accumulated) Array.Clear(buffers[name]);
        buffers["center"].AsSpan().CopyTo(buffers["centerOut"]);

        Gemm.Compute(RowCount, Hidden, Dim, B("x"), Dim, false, B("w1"), Dim, true, B("h"), Hidden, 0f,
            new GemmEpilogueBuffers { Kind = GemmEpilogueKind.BiasGelu, Bias = B("b1"), PreActivation = B("pre"), PreActivationLd = Hidden });
        Gemm.Compute(RowCount, Dim, Hidden, B("h"), Hidden, false, B("w2"), Hidden, true, B("y"), Dim, 0f,
            new GemmEpilogueBuffers { Kind = GemmEpilogueKind.BiasResidual, Bias = B("b2"), Residual = B("x"), ResidualLd = Dim, RowScale = B("scale"), RowsPerScale = Tokens });
        Gemm.Compute(RowCount, Hidden, Dim, B("dOut"), Dim, false, B("w2"), Hidden, false, B("dh"), Hidden, 0f,
            new GemmEpilogueBuffers { Kind = GemmEpilogueKind.GeluBackward, PreActivation = B("pre"), PreActivationLd = Hidden });
        Gemm.Compute(Hidden, Dim, RowCount, B("dh"), Hidden, true, B("x"), Dim, false, B("dw1"), Dim, 0f);
        Gemm.Compute(Hidden, Dim, RowCount, B("dh"), Hidden, true, B("x"), Dim, false, B("dw1"), Dim, 1f, new GemmEpilogueBuffers { Kind = GemmEpilogueKind.Bias, Bias = B("gamma") });
        Reduce.ColumnSums(B("dh"), RowCount, Hidden, Hidden, B("db1"), false);
        Activation.Gelu(B("pre"), B("gelu"));
        Activation.GeluBackward(B("h"), B("pre"), B("gelu"));

        LayerNorm.Forward(B("x"), B("gamma"), B("beta"), B("ln"), B("mean"), B("rstd"), RowCount, Dim, 1e-6f);
        LayerNorm.Backward(B("dOut"), B("x"), B("gamma"), B("mean"), B("rstd"), B("dx"), B("dgamma"), B("dbeta"), RowCount, Dim, false);
        Attention.Forward(B("qkv"), B("attn"), B("probs"), Batch, Tokens, Heads, HeadDim);
        Attention.Backward(B("dOut"), B("qkv"), B("probs"), B("dQkv"), Batch, Tokens, Heads, HeadDim);

        Patch.Im2Col(B("images"), B("columns"), Batch, 1, 28, 4);
        Patch.AssembleTokens(B("x").AsSpan(0, Batch * 49 * Dim), B("cls"), B("cls"), B("pos"), B("tokens"), Batch, 49, Dim);
        Patch.AssembleTokensBackward(B("dOut"), B("dPatch"), B("dCls"), B("dPosCls"), B("dPos"), Batch, 49, Dim);
        resize.Forward(B("pos"), B("small"), Dim);
        resize.Backward(B("small"), B("dPosResized"), Dim);
        Rows.GatherClass(B("x"), B("clsOut"), Batch, Tokens, Dim);
        Rows.ScatterClass(B("clsOut"), B("dTokens"), Batch, Tokens, Dim);
        Rows.ScaleRows(B("x"), B("scale"), Tokens, B("scaled"), RowCount, Dim);

        Normalize.L2Forward(B("v"), B("l2"), B("norms"), OutDim, Dim);
        Normalize.L2Backward(B("v"), B("v"), B("norms"), B("dl2"), OutDim, Dim);
        WeightNorm.Forward(B("g"), B("v"), B("w"), B("vNorms"), OutDim, Dim);
        WeightNorm.Backward(B("w"), B("g"), B("v"), B("vNorms"), B("dg"), B("dv"), OutDim, Dim, true);
        Loss = DinoLoss.Forward(B("student"), B("teacher"), B("center"), B("dStudent"), B("scratch"), Batch, Crops, OutDim, 0.1f, 0.04f);
        DinoLoss.UpdateCenter(B("teacher"), B("centerOut"), 2 * Batch, OutDim, 0.9f);
    }

    private float[] B(string name) => buffers[name];

    private void Input(string name, int length, int seed) => buffers[name] = KernelTestData.Uniform(seed, length);
}
