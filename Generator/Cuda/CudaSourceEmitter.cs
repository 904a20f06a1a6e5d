using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DinoCompiled.Generator.Lowering;
using DinoCompiled.Generator.Model;

namespace DinoCompiled.Generator.Cuda;

/// <summary>
/// Writes a model's CUDA module: one self-contained translation unit (no <c>#include</c>, so NVRTC compiles it anywhere)
/// with the model's dimensions as macros, the bicubic and parameter-chunk tables as <c>__constant__</c> arrays, the kernel
/// library, and the per-model instances (attention per token count and head dim, resize per local crop). Every kernel is
/// <c>extern "C"</c>; <see cref="KernelNames"/> numbers them for the schedules.
/// </summary>
internal sealed class CudaSourceEmitter
{
    /// <summary>Floats per chunk of the parameter passes (clip, AdamW): one 256-thread block each.</summary>
    public const int ParameterChunk = 8192;

    /// <summary>The most row chunks a deterministic column sum splits into (bias and LayerNorm parameter gradients).</summary>
    public const int MaxPartialChunks = 256;

    private readonly CompiledModel _model;
    private readonly List<string> _names = new();
    private readonly StringBuilder _text = new();

    private CudaSourceEmitter(CompiledModel model, IReadOnlyDictionary<(int Tokens, int HeadDim), AttentionTilePlan> attentionPlans) =>
        (_model, AttentionPlans) = (model, attentionPlans);

    public IReadOnlyList<string> KernelNames => _names;

    public string Source => _text.ToString();

    /// <summary>Chunks of the parameter passes over the whole table.</summary>
    public int ParameterChunks { get; private set; }

    /// <summary>The attention instances, one per (tokens, head dim) of the model, with their tiles.</summary>
    public IReadOnlyDictionary<(int Tokens, int HeadDim), AttentionTilePlan> AttentionPlans { get; }

    /// <summary>The module of a model <see cref="CudaBackendSupport"/> accepted, with the attention plans it made.</summary>
    public static CudaSourceEmitter Emit(CompiledModel model, IReadOnlyDictionary<(int Tokens, int HeadDim), AttentionTilePlan> attentionPlans)
    {
        var emitter = new CudaSourceEmitter(model, attentionPlans);
        emitter.Write();
        return emitter;
    }

    public int IndexOf(string name)
    {
        int index = _names.IndexOf(name);
        if (index < 0) throw new InvalidOperationException("The CUDA module has no kernel " + name + ".");
        return index;
    }

    public static string ResizeKernel(int crop, bool grad) => "dino_resize_positions" + (grad ? "_grad" : "") + "_crop" + crop;

    public static string AttentionKernel(string part, int tokens, int headDim) => "dino_attention" + part + "_t" + tokens + "_d" + headDim;

    private void Write()
    {
        var spec = _model.Spec;
        int d = spec.EmbedDim;

        Line("// DinoCompiled.Generator: the CUDA module of '" + spec.ModelName + "' (" + spec.FullTypeName + ").");
        Line("// One self-contained translation unit for NVRTC: no #include; fp32 throughout; every kernel extern \"C\".");
        Line("// Do not edit: change the model's attributes and build again.");
        Line();
        Line("// ---- the model's dimensions -------------------------------------------------------------------------------");
        Define("DINO_D", d, "token width");
        Define("DINO_CHANNELS", spec.Channels, "image channels");
        Define("DINO_PATCH", spec.Patch, "patch side");
        Define("DINO_IMAGE", spec.ImageSize, "image size the position embedding is laid out for");
        Define("DINO_BLOCKS", spec.Blocks.Count, "transformer blocks");
        Define("DINO_HEADS", spec.Blocks[0].Heads, "heads of the first block");
        Define("DINO_HEAD_DIM", d / spec.Blocks[0].Heads, "head dim of the first block");
        foreach (int crop in spec.CropSizes) Define("DINO_TOKENS_" + crop, Tokens(crop), "tokens per image at crop " + crop);
        Define("DINO_K", spec.Head.OutDim, "DINO head out_dim");
        Line("#define DINO_LN_EPS " + FloatBits((float)spec.LayerNormEps) + " // LayerNorm epsilon " + Num(spec.LayerNormEps));
        Define("DINO_SCRATCH_FLOATS", (long)MaxPartialChunks * MaxColumnSumWidth(), MaxPartialChunks + " chunks of partial column sums");
        Line();

        WriteParameterTable();
        Line(CudaKernelLibrary.Helpers);
        Line(CudaKernelLibrary.SegmentKernels);
        Line(CudaKernelLibrary.BackwardKernels);
        Line(CudaKernelLibrary.AttentionTemplates);
        WriteAttentionInstances();
        WriteResizeKernels();
        Line(CudaKernelLibrary.StepKernels);
        // The bf16 kernels last, so that they renumber none of the fp32 kernels (docs/BF16.md).
        Line(CudaKernelLibrary.Bf16Kernels);
        Line(CudaKernelLibrary.Bf16BackwardKernels);
        Line(CudaKernelLibrary.Bf16StepKernels);
        // Flash attention after everything else, for the same reason.
        Line(CudaKernelLibrary.FlashAttentionKernels);
        WriteFlashInstances();

        // Kernel names in source order: the schedules number them by this list.
        foreach (var line in _text.ToString().Split('\n'))
        {
            const string marker = "extern \"C\" __global__ void ";
            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0) continue;
            string rest = line.Substring(at + marker.Length);
            if (rest.StartsWith("__launch_bounds__", StringComparison.Ordinal)) rest = rest.Substring(rest.IndexOf(')') + 1).TrimStart();
            _names.Add(rest.Substring(0, rest.IndexOf('(')));
        }
    }

    private int Tokens(int crop) => (crop / _model.Spec.Patch) * (crop / _model.Spec.Patch) + 1;

    private int MaxColumnSumWidth()
    {
        var spec = _model.Spec;
        int width = Math.Max(2 * spec.EmbedDim, 3 * spec.EmbedDim);
        foreach (var block in spec.Blocks) width = Math.Max(width, block.MlpHidden);
        foreach (var layer in spec.Head.Mlp) width = Math.Max(width, layer.Out);
        return width;
    }

    private void WriteParameterTable()
    {
        var parameters = _model.Parameters;
        Line("// ---- the parameter table, in chunks of DINO_CHUNK floats for the clip, AdamW and norm passes --------------");
        var first = new List<int>();
        int chunks = 0;
        foreach (var p in parameters)
        {
            first.Add(chunks);
            chunks += (int)Math.Max(1, (p.Count + ParameterChunk - 1) / ParameterChunk);
        }
        first.Add(chunks);
        ParameterChunks = chunks;
        Define("DINO_TENSORS", parameters.Count, "tensors in the flat buffers");
        Define("DINO_FLAT_LENGTH", _model.FlatLength, "floats of each flat buffer");
        Define("DINO_CHUNK", ParameterChunk, "floats per block of the parameter passes");
        Define("DINO_PARAM_CHUNKS", chunks, "blocks of a parameter pass");
        Line("// tensor t: offset, count, trainable, first chunk (" + string.Join(", ", parameters.Select((p, i) => i + " " + p.Name).Take(3)) + ", ...)");
        Line("__constant__ long long c_tensor_offset[DINO_TENSORS] = { " + string.Join(", ", parameters.Select(p => p.Offset.ToString(CultureInfo.InvariantCulture))) + " };");
        Line("__constant__ long long c_tensor_count[DINO_TENSORS] = { " + string.Join(", ", parameters.Select(p => p.Count.ToString(CultureInfo.InvariantCulture))) + " };");
        Line("__constant__ int c_tensor_trainable[DINO_TENSORS] = { " + string.Join(", ", parameters.Select(p => p.Trainable ? "1" : "0")) + " };");
        Line("__constant__ int c_tensor_first_chunk[DINO_TENSORS + 1] = { " + string.Join(", ", first.Select(c => c.ToString(CultureInfo.InvariantCulture))) + " };");
        Line();
    }

    private void WriteAttentionInstances()
    {
        var spec = _model.Spec;
        Line("// ---- attention instances: (tokens, head dim) of this model; scale = head_dim^-0.5 -----------------------------");
        var pairs = new List<(int Tokens, int HeadDim)>();
        foreach (int crop in spec.CropSizes)
            foreach (var block in spec.Blocks)
            {
                var pair = (Tokens(crop), spec.EmbedDim / block.Heads);
                if (!pairs.Contains(pair)) pairs.Add(pair);
            }
        foreach (var (t, dh) in pairs)
        {
            var plan = AttentionPlans[(t, dh)];
            string scale = FloatBits((float)(1 / Math.Sqrt(dh)));
            string heads = "DINO_D / " + dh;
            string args = t + ", " + dh;
            string queryArgs = args + ", " + plan.QueryTile + ", " + plan.KeyTile;
            string keyArgs = args + ", " + plan.KeyBlock + ", " + plan.QueryChunk;
            Line("// tokens " + t + ", head dim " + dh + ": query tile " + plan.QueryTile + ", key tile " + plan.KeyTile + ", grid (" + plan.QueryBlocks +
                 ", units x heads); key block " + plan.KeyBlock + ", query chunk " + plan.QueryChunk + ", grid (" + plan.KeyBlocks + ", units x heads)");
            Line("extern \"C\" __global__ void __launch_bounds__(256) " + AttentionKernel("", t, dh) + "(const float* __restrict__ qkv, float* __restrict__ out, float* __restrict__ probs)");
            Line("{ attention_forward<" + queryArgs + ">(qkv, out, probs, " + scale + "); }");
            Line("extern \"C\" __global__ void __launch_bounds__(256) " + AttentionKernel("_grad_dv", t, dh) + "(const float* __restrict__ dOut, const float* __restrict__ probs, float* __restrict__ dQkv)");
            Line("{");
            Line("    const int b = blockIdx.y / (" + heads + "), h = blockIdx.y % (" + heads + ");");
            Line("    attention_grad_keys<" + keyArgs + ">(dOut + (long long)b * " + t + " * DINO_D + h * " + dh + ", DINO_D, probs, dQkv + (long long)b * " + t + " * 3 * DINO_D + 2 * DINO_D + h * " + dh + ", 1.0f);");
            Line("}");
            Line("extern \"C\" __global__ void __launch_bounds__(256) " + AttentionKernel("_grad_dq", t, dh) + "(const float* __restrict__ dOut, const float* __restrict__ qkv, float* __restrict__ probs, float* __restrict__ dQkv)");
            Line("{ attention_grad_queries<" + queryArgs + ">(dOut, qkv, probs, dQkv, " + scale + "); }");
            Line("extern \"C\" __global__ void __launch_bounds__(256) " + AttentionKernel("_grad_dk", t, dh) + "(const float* __restrict__ qkv, const float* __restrict__ dS, float* __restrict__ dQkv)");
            Line("{");
            Line("    const int b = blockIdx.y / (" + heads + "), h = blockIdx.y % (" + heads + ");");
            Line("    attention_grad_keys<" + keyArgs + ">(qkv + (long long)b * " + t + " * 3 * DINO_D + h * " + dh + ", 3 * DINO_D, dS, dQkv + (long long)b * " + t + " * 3 * DINO_D + DINO_D + h * " + dh + ", " + scale + ");");
            Line("}");
            Line();
        }
    }

    private void WriteFlashInstances()
    {
        Line("// ---- flash attention instances: (tokens, head dim) of this model with a head dim the kernel serves -----------");
        foreach (var key in AttentionPlans.Keys)
        {
            var plan = FlashTilePlan.TryCreate(key.Tokens, key.HeadDim);
            if (plan is null) continue;
            Line("// flash tokens " + plan.Tokens + ", head dim " + plan.HeadDim + ": warps " + plan.Warps + ", key tile " + plan.KeyTile + ", grid (" + plan.QueryBlocks +
                 ", units x heads), " + plan.Threads + " threads");
            Line("extern \"C\" __global__ void __launch_bounds__(" + plan.Threads + ") " + FlashKernel(plan.Tokens, plan.HeadDim) +
                 "(const unsigned short* __restrict__ qkv, unsigned short* __restrict__ out, float* __restrict__ lse)");
            string scale = FloatBits((float)(1 / Math.Sqrt(plan.HeadDim)));
            Line("{ flash_attention_forward<" + plan.Tokens + ", " + plan.HeadDim + ", " + plan.Warps + ", " + plan.KeyTile + ">(qkv, out, lse, " + scale + "); }");
            if (!plan.HasBackward) continue;
            string name = FlashKernel(plan.Tokens, plan.HeadDim);
            Line("// flash backward tokens " + plan.Tokens + ", head dim " + plan.HeadDim + ": delta 8 rows per block of 256; dK/dV and dQ grid (" + plan.QueryBlocks +
                 ", units x heads), " + plan.Threads + " threads, query tile " + FlashTilePlan.BackwardQueryTile + ", key tile " + plan.BackwardKeyTile);
            Line("extern \"C\" __global__ void __launch_bounds__(256) " + name.Replace("attention", "attention_delta") +
                 "(const unsigned short* __restrict__ out, const unsigned short* __restrict__ dOut, float* __restrict__ delta, int rows)");
            Line("{ flash_attention_delta<" + plan.Tokens + ", " + plan.HeadDim + ">(out, dOut, delta, rows); }");
            const string gradArgs = "(const unsigned short* __restrict__ qkv, const unsigned short* __restrict__ dOut, const float* __restrict__ lse, " +
                                    "const float* __restrict__ delta, unsigned short* __restrict__ dQkv)";
            Line("extern \"C\" __global__ void __launch_bounds__(" + plan.Threads + ") " + name.Replace("attention", "attention_grad_dkv") + gradArgs);
            Line("{ flash_attention_grad_keys<" + plan.Tokens + ", " + plan.HeadDim + ", " + plan.Warps + ", " + FlashTilePlan.BackwardQueryTile + ">(qkv, dOut, lse, delta, dQkv, " + scale + "); }");
            Line("extern \"C\" __global__ void __launch_bounds__(" + plan.Threads + ") " + name.Replace("attention", "attention_grad_dq") + gradArgs);
            Line("{ flash_attention_grad_queries<" + plan.Tokens + ", " + plan.HeadDim + ", " + plan.Warps + ", " + plan.BackwardKeyTile + ">(qkv, dOut, lse, delta, dQkv, " + scale + "); }");
        }
    }

    public static string FlashKernel(int tokens, int headDim) => "dino_flash_attention_t" + tokens + "_d" + headDim;

    private void WriteResizeKernels()
    {
        var spec = _model.Spec;
        int sourceGrid = spec.ImageSize / spec.Patch;
        foreach (int crop in spec.CropSizes.Where(c => c != spec.ImageSize))
        {
            int grid = crop / spec.Patch;
            var tables = new BicubicTables(sourceGrid, grid);
            string p = "c_resize" + crop;
            Line("// ---- bicubic resize of the position grid " + sourceGrid + "x" + sourceGrid + " -> " + grid + "x" + grid + " (crop " + crop + "), as BicubicResizePlan ----");
            Line("// scale (" + grid + " + 0.1) / " + sourceGrid + "; taps clamped; weights are float32 bit patterns.");
            Line("__constant__ int " + p + "_taps[" + tables.Taps.Length + "] = { " + string.Join(", ", tables.Taps.Select(Int)) + " };");
            Line("__constant__ unsigned int " + p + "_weights[" + tables.Weights.Length + "] = { " + string.Join(", ", tables.Weights.Select(Bits)) + " };");
            Line("__constant__ int " + p + "_tstart[" + tables.TransposeStart.Length + "] = { " + string.Join(", ", tables.TransposeStart.Select(Int)) + " };");
            Line("__constant__ int " + p + "_toutputs[" + tables.TransposeOutputs.Length + "] = { " + string.Join(", ", tables.TransposeOutputs.Select(Int)) + " };");
            Line("__constant__ unsigned int " + p + "_tweights[" + tables.TransposeWeights.Length + "] = { " + string.Join(", ", tables.TransposeWeights.Select(Bits)) + " };");
            Line();
            Line("// dst[oy " + grid + " + ox] = sum over taps, along x within each source row and then along y (the CPU's order).");
            Line("// grid (" + (grid * grid) + "), block 128, grid-stride over the width.");
            Line("extern \"C\" __global__ void __launch_bounds__(128) " + ResizeKernel(crop, false) + "(const float* __restrict__ src, float* __restrict__ dst)");
            Line("{");
            Line("    const int oy = blockIdx.x / " + grid + ", ox = blockIdx.x % " + grid + ";");
            Line("    for (int j = threadIdx.x; j < DINO_D; j += blockDim.x)");
            Line("    {");
            Line("        float acc = 0.f;");
            Line("#pragma unroll");
            Line("        for (int a = 0; a < 4; a++)");
            Line("        {");
            Line("            const float* row = src + (long long)" + p + "_taps[4 * oy + a] * " + sourceGrid + " * DINO_D + j;");
            Line("            float r = row[(long long)" + p + "_taps[4 * ox] * DINO_D] * __uint_as_float(" + p + "_weights[4 * ox]);");
            Line("#pragma unroll");
            Line("            for (int k = 1; k < 4; k++) r = fmaf(row[(long long)" + p + "_taps[4 * ox + k] * DINO_D], __uint_as_float(" + p + "_weights[4 * ox + k]), r);");
            Line("            acc = fmaf(r, __uint_as_float(" + p + "_weights[4 * oy + a]), acc);");
            Line("        }");
            Line("        dst[(long long)blockIdx.x * DINO_D + j] = acc;");
            Line("    }");
            Line("}");
            Line();
            Line("// dSrc[sy " + sourceGrid + " + sx] += the transpose, gathered per source pixel (deterministic). grid (" + (sourceGrid * sourceGrid) + "), block 128.");
            Line("extern \"C\" __global__ void __launch_bounds__(128) " + ResizeKernel(crop, true) + "(const float* __restrict__ dDst, float* __restrict__ dSrc)");
            Line("{");
            Line("    const int sy = blockIdx.x / " + sourceGrid + ", sx = blockIdx.x % " + sourceGrid + ";");
            Line("    for (int j = threadIdx.x; j < DINO_D; j += blockDim.x)");
            Line("    {");
            Line("        float acc = 0.f;");
            Line("        for (int ky = " + p + "_tstart[sy]; ky < " + p + "_tstart[sy + 1]; ky++)");
            Line("        {");
            Line("            const float* row = dDst + (long long)" + p + "_toutputs[ky] * " + grid + " * DINO_D + j;");
            Line("            float r = 0.f;");
            Line("            for (int kx = " + p + "_tstart[sx]; kx < " + p + "_tstart[sx + 1]; kx++) r = fmaf(row[(long long)" + p + "_toutputs[kx] * DINO_D], __uint_as_float(" + p + "_tweights[kx]), r);");
            Line("            acc = fmaf(r, __uint_as_float(" + p + "_tweights[ky]), acc);");
            Line("        }");
            Line("        dSrc[(long long)blockIdx.x * DINO_D + j] += acc;");
            Line("    }");
            Line("}");
            Line();
        }
    }

    private void Define(string name, long value, string comment) =>
        Line("#define " + name + " " + value.ToString(CultureInfo.InvariantCulture) + " // " + comment);

    private void Line(string line = "") => _text.Append(line).Append('\n');

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bits(float value) => "0x" + FloatToBits(value).ToString("X8", CultureInfo.InvariantCulture) + "u";

    internal static string FloatBits(float value) => "__uint_as_float(" + Bits(value) + ")";

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static uint FloatToBits(float value) => unchecked((uint)BitConverter.ToInt32(BitConverter.GetBytes(value), 0));
}
