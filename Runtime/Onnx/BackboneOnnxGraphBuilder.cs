// The ViT backbone as ONNX operators, node for node the math of the compiled forward
// (Backbone{crop}Forward in the generated schedule and Runtime/Cpu):
//   patch embedding   Conv, kernel = stride = patch (the schedule's Im2Col + Linear) -> tokens
//   token assembly    [cls + pos_cls ; patches + pos_patches] (Patch.AssembleTokens), the
//                     position grid resized on the host by the same BicubicResizePlan when
//                     the crop is not the model's image size
//   each block        x += proj(attention(LN1(x))); x += fc2(gelu(fc1(LN2(x))))
//   final norm        CLS row (Gather) then LayerNorm, as the schedule's GatherClass + LayerNorm;
//                     or LayerNorm on every token
// Linear weights are PyTorch's [out, in]; they are transposed on the host so every linear
// layer is a plain MatMul [.., in] x [in, out] followed by the bias Add.
using System;
using System.Collections.Immutable;
using DinoCompiled.Cpu;

namespace DinoCompiled.Onnx;

/// <summary>Builds the backbone graph of one model from its description and a flat parameter buffer.</summary>
internal ref struct BackboneOnnxGraphBuilder
{
    /// <summary>The graph input's name.</summary>
    public const string InputName = "images";

    /// <summary>The graph output's name.</summary>
    public const string OutputName = "features";

    /// <summary>The name of the run-time batch dimension.</summary>
    public const string BatchDimension = "batch";

    private readonly ModelDescription _model;
    private readonly ReadOnlySpan<float> _parameters;
    private readonly OnnxGraph _graph;
    private readonly int _crop;
    private readonly float _eps;

    private BackboneOnnxGraphBuilder(ModelDescription model, ReadOnlySpan<float> parameters, int crop)
    {
        _model = model;
        _parameters = parameters;
        _crop = crop;
        // The compiled schedule passes eps as a float constant; the ONNX attribute is a float too.
        _eps = (float)model.Architecture.LayerNormEps;
        _graph = new OnnxGraph(model.Name.Replace('-', '_') + "_backbone");
    }

    /// <summary>The graph for <paramref name="crop"/> (already checked) with the chosen token output.</summary>
    public static OnnxGraph Build(ModelDescription model, ReadOnlySpan<float> parameters, int crop, OnnxTokenOutput tokens)
    {
        var builder = new BackboneOnnxGraphBuilder(model, parameters, crop);
        return builder.BuildGraph(tokens);
    }

    private OnnxGraph BuildGraph(OnnxTokenOutput tokens)
    {
        var a = _model.Architecture;
        int grid = _crop / a.Patch, tokenCount = 1 + grid * grid;
        var batch = OnnxDimension.Named(BatchDimension);
        string images = _graph.AddInput(new OnnxValueInfo(InputName, OnnxDataType.Float,
            ImmutableArray.Create(batch, OnnxDimension.Fixed(a.Channels), OnnxDimension.Fixed(_crop), OnnxDimension.Fixed(_crop))));

        string x = Tokens(images, grid);
        for (int i = 0; i < a.Depth; i++) x = Block(x, i, a.Blocks[i]);

        if (tokens == OnnxTokenOutput.Cls)
        {
            // CLS row first, then the norm (LayerNorm is per row, so this is the all-token norm's row 0), as the schedule does.
            string cls = Node("Gather", "norm.cls", [x, Int64Scalar("index.0", 0)], OnnxAttribute.Int("axis", 1));
            LayerNorm(cls, "norm", OutputName);
            _graph.AddOutput(new OnnxValueInfo(OutputName, OnnxDataType.Float, ImmutableArray.Create(batch, OnnxDimension.Fixed(a.EmbedDim))));
        }
        else
        {
            LayerNorm(x, "norm", OutputName);
            _graph.AddOutput(new OnnxValueInfo(OutputName, OnnxDataType.Float,
                ImmutableArray.Create(batch, OnnxDimension.Fixed(tokenCount), OnnxDimension.Fixed(a.EmbedDim))));
        }

        return _graph;
    }

    /// <summary>Patch embedding and token assembly: [N, C, crop, crop] to [N, 1 + g², D].</summary>
    private string Tokens(string images, int grid)
    {
        var a = _model.Architecture;
        int d = a.EmbedDim, p = a.Patch, sourceGrid = a.ImageSize / a.Patch, patches = grid * grid;

        string conv = Node("Conv", "patch_embed.proj",
            [images, Weight("patch_embed.proj.weight", d, a.Channels, p, p), Weight("patch_embed.proj.bias", d)],
            OnnxAttribute.Ints("kernel_shape", p, p), OnnxAttribute.Ints("strides", p, p));
        // [N, D, g, g] -> [N, D, g²] -> [N, g², D]: rows in row-major grid order, as Im2Col lays them out.
        string flat = Node("Reshape", "patch_embed.flatten", [conv, Int64Vector("shape.patch_embed", 0, d, patches)]);
        string patchTokens = Node("Transpose", "patch_embed.tokens", [flat], OnnxAttribute.Ints("perm", 0, 2, 1));

        var position = Slice("pos_embed");
        var clsRow = new float[d];
        var cls = Slice("cls_token");
        for (int j = 0; j < d; j++) clsRow[j] = cls[j] + position[j];
        var sourcePositions = position.Slice(d, sourceGrid * sourceGrid * d);
        var positions = new float[patches * d];
        if (grid == sourceGrid)
            sourcePositions.CopyTo(positions);
        else
            // The compiled forward's plan for this crop: the reference DINO's scale factor (g + 0.1) / G.
            new BicubicResizePlan(sourceGrid, grid, (grid + 0.1) / sourceGrid).Forward(sourcePositions, positions, d);

        string positioned = Node("Add", "tokens.patches", [patchTokens, _graph.AddInitializer(OnnxInitializer.Float("pos_embed.patches", positions, 1, patches, d))]);

        // cls_token + pos_embed[0] is one row for every image: broadcast it to [N, 1, D] by the input's batch size.
        string batchSize = Node("Shape", "tokens.batch", [images], OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 1));
        string clsShape = Node("Concat", "tokens.cls_shape", [batchSize, Int64Vector("shape.one_one", 1, 1)], OnnxAttribute.Int("axis", 0));
        string clsTokens = Node("Expand", "tokens.cls", [_graph.AddInitializer(OnnxInitializer.Float("cls_token.positioned", clsRow, 1, 1, d)), clsShape]);
        return Node("Concat", "tokens", [clsTokens, positioned], OnnxAttribute.Int("axis", 1));
    }

    /// <summary>One pre-norm transformer block, teacher form (no drop path).</summary>
    private string Block(string x, int index, BlockInfo block)
    {
        int d = _model.Architecture.EmbedDim, heads = block.Heads, headDim = d / heads;
        string prefix = "blocks." + index;

        string h = LayerNorm(x, prefix + ".norm1", prefix + ".norm1");
        string qkv = Linear(h, prefix + ".attn.qkv", d, 3 * d, bias: block.QkvBias);
        // qkv columns are [Q | K | V], head h owning columns h·dh .. (h+1)·dh of each (Attention.Forward's layout).
        string split = Node("Reshape", prefix + ".attn.qkv_heads", [qkv, Int64Vector("shape.qkv." + index, 0, 0, 3, heads, headDim)]);
        string perHead = Node("Transpose", prefix + ".attn.qkv_split", [split], OnnxAttribute.Ints("perm", 2, 0, 3, 1, 4));
        string q = Node("Gather", prefix + ".attn.q", [perHead, Int64Scalar("index.0", 0)], OnnxAttribute.Int("axis", 0));
        string k = Node("Gather", prefix + ".attn.k", [perHead, Int64Scalar("index.1", 1)], OnnxAttribute.Int("axis", 0));
        string v = Node("Gather", prefix + ".attn.v", [perHead, Int64Scalar("index.2", 2)], OnnxAttribute.Int("axis", 0));
        string kT = Node("Transpose", prefix + ".attn.k_transposed", [k], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
        string scores = Node("MatMul", prefix + ".attn.scores", [q, kT]);
        // The kernel's scale, 1 / sqrt(dh) in float, on the scores before the softmax.
        string scaled = Node("Mul", prefix + ".attn.scaled", [scores, FloatScalar("scale.head_dim_" + headDim, 1 / MathF.Sqrt(headDim))]);
        string probs = Node("Softmax", prefix + ".attn.probs", [scaled], OnnxAttribute.Int("axis", -1));
        string context = Node("MatMul", prefix + ".attn.context", [probs, v]);
        string merged = Node("Transpose", prefix + ".attn.context_tokens", [context], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        string attention = Node("Reshape", prefix + ".attn.out", [merged, Int64Vector("shape.tokens", 0, 0, d)]);
        string proj = Linear(attention, prefix + ".attn.proj", d, d, bias: true);
        string residual1 = Node("Add", prefix + ".residual1", [x, proj]);

        string h2 = LayerNorm(residual1, prefix + ".norm2", prefix + ".norm2");
        string fc1 = Linear(h2, prefix + ".mlp.fc1", d, block.MlpHidden, bias: true);
        string act = Gelu(fc1, prefix + ".mlp.act");
        string fc2 = Linear(act, prefix + ".mlp.fc2", block.MlpHidden, d, bias: true);
        return Node("Add", prefix + ".residual2", [residual1, fc2]);
    }

    /// <summary>Exact GELU, x · 0.5 · (1 + erf(x / √2)): opset 17 has no Gelu operator (it arrives in opset 20).</summary>
    private string Gelu(string x, string name)
    {
        string scaled = Node("Mul", name + ".over_sqrt2", [x, FloatScalar("gelu.one_over_sqrt2", (float)(1 / Math.Sqrt(2)))]);
        string erf = Node("Erf", name + ".erf", [scaled]);
        string onePlus = Node("Add", name + ".one_plus", [erf, FloatScalar("gelu.one", 1f)]);
        string half = Node("Mul", name + ".half_x", [x, FloatScalar("gelu.half", 0.5f)]);
        return Node("Mul", name, [half, onePlus]);
    }

    /// <summary>y = x·Wᵀ + b with PyTorch's [out, in] weight, transposed here into a [in, out] initializer.</summary>
    private string Linear(string x, string prefix, int input, int output, bool bias)
    {
        var weight = Slice(prefix + ".weight", output, input);
        var transposed = new float[(long)input * output];
        for (int o = 0; o < output; o++)
            for (int i = 0; i < input; i++)
                transposed[(long)i * output + o] = weight[o * input + i];
        string w = _graph.AddInitializer(OnnxInitializer.Float(prefix + ".weight.transposed", transposed, input, output));
        string product = Node("MatMul", bias ? prefix + ".matmul" : prefix, [x, w]);
        return bias ? Node("Add", prefix, [product, Weight(prefix + ".bias", output)]) : product;
    }

    private string LayerNorm(string x, string parameterPrefix, string output)
    {
        int d = _model.Architecture.EmbedDim;
        return Node("LayerNormalization", output, [x, Weight(parameterPrefix + ".weight", d), Weight(parameterPrefix + ".bias", d)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", _eps));
    }

    /// <summary>A parameter as an initializer under its state-dict key, in its PyTorch shape.</summary>
    private string Weight(string name, params long[] shape) =>
        _graph.AddInitializer(OnnxInitializer.Float(name, Slice(name, shape).ToArray(), shape));

    /// <summary>A parameter's elements in the flat buffer, its shape checked against the table when given.</summary>
    private ReadOnlySpan<float> Slice(string name, params long[] expectedShape)
    {
        var info = _model.Parameters[name];
        if (expectedShape.Length > 0)
        {
            long count = 1;
            foreach (long dim in expectedShape) count *= dim;
            if (count != info.Count)
                throw new InvalidOperationException($"{_model.Name}: '{name}' has shape {info.ShapeText}, the backbone graph expects [{string.Join(", ", expectedShape)}].");
        }

        return _parameters.Slice(checked((int)info.Offset), checked((int)info.Count));
    }

    private string Node(string opType, string output, ImmutableArray<string> inputs, params OnnxAttribute[] attributes) =>
        _graph.AddNode(opType, output, inputs, attributes);

    // Small constants are shared by name: every block reads the same shape and index tensors.
    private string Int64Vector(string name, params long[] values) =>
        _graph.IsDefined(name) ? name : _graph.AddInitializer(OnnxInitializer.Int64(name, values, values.Length));

    private string Int64Scalar(string name, long value) =>
        _graph.IsDefined(name) ? name : _graph.AddInitializer(OnnxInitializer.Int64(name, [value]));

    private string FloatScalar(string name, float value) =>
        _graph.IsDefined(name) ? name : _graph.AddInitializer(OnnxInitializer.Float(name, [value]));
}
