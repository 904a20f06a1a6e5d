using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using DinoCompiled.Cuda;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// What each generated kernel reads and writes, in floats from each pointer argument, as its CUDA source defines it
/// (docs/CUDA.md): the recording test checks these ranges against the buffers.
/// </summary>
internal sealed class KernelExtents
{
    private readonly ArchitectureInfo _arch;
    private readonly CudaModuleSource _module;
    private readonly int _crop;

    public KernelExtents(ArchitectureInfo arch, CudaModuleSource module, int crop)
    {
        _arch = arch;
        _module = module;
        _crop = crop;
    }

    public static IEnumerable<(ulong Address, long Floats, string What)> Gemm(RecordingCudaOps.GemmCall g)
    {
        Assert(g.M > 0 && g.N > 0 && g.K > 0, "GEMM dimensions");
        yield return (g.A, g.TransA ? (long)(g.K - 1) * g.Lda + g.M : (long)(g.M - 1) * g.Lda + g.K, "A");
        yield return (g.B, g.TransB ? (long)(g.N - 1) * g.Ldb + g.K : (long)(g.K - 1) * g.Ldb + g.N, "B");
        yield return (g.C, (long)(g.M - 1) * g.Ldc + g.N, "C");
        if (g.Epilogue is CudaGemmEpilogue.Bias or CudaGemmEpilogue.BiasGeluAux) yield return (g.Bias, g.N, "bias");
        if (g.Epilogue is CudaGemmEpilogue.BiasGeluAux or CudaGemmEpilogue.GeluBackwardAux)
        {
            Assert(g.Aux != 0 && g.AuxLd >= g.N, "GELU aux");
            yield return (g.Aux, (long)(g.M - 1) * g.AuxLd + g.N, "aux");
        }
    }

    public IEnumerable<(ulong Address, long Floats, string What)> Of(RecordingCudaOps.LaunchCall call, int units)
    {
        var a = call.Args;
        string name = _module.KernelNames[call.Kernel];
        int d = _arch.EmbedDim, c = _arch.Channels;
        ulong P(int i) => a[i];
        int I(int i) => (int)(uint)a[i];
        long L(int i) => (long)a[i];
        int grid = _crop / _arch.Patch, sourceGrid = _arch.ImageSize / _arch.Patch;
        var list = new List<(ulong, long, string)>();
        void Add(int arg, long floats) => list.Add((P(arg), floats, "arg " + arg));
        long ScaleCount(int rows, int rowsPerScale) => (rows - 1) / rowsPerScale + 1;

        var attention = Regex.Match(name, @"^dino_attention(\w*)_t(\d+)_d(\d+)$");
        if (attention.Success)
        {
            int t = int.Parse(attention.Groups[2].Value), dh = int.Parse(attention.Groups[3].Value), heads = d / dh;
            Assert(call.GridY == units * heads, name + " grid y");
            long qkv = (long)units * t * 3 * d, o = (long)units * t * d, probs = (long)units * heads * t * t;
            switch (attention.Groups[1].Value)
            {
                case "": Add(0, qkv); Add(1, o); Add(2, probs); break;
                case "_grad_dv": Add(0, o); Add(1, probs); Add(2, qkv); break;
                case "_grad_dq": Add(0, o); Add(1, qkv); Add(2, probs); Add(3, qkv); break;
                case "_grad_dk": Add(0, qkv); Add(1, probs); Add(2, qkv); break;
                default: throw new InvalidOperationException(name);
            }
            return list;
        }
        if (name.StartsWith("dino_resize_positions", StringComparison.Ordinal))
        {
            Assert(name.EndsWith("_crop" + _crop, StringComparison.Ordinal), name + " launched for crop " + _crop);
            long small = (long)grid * grid * d, large = (long)sourceGrid * sourceGrid * d;
            if (name.Contains("_grad_")) { Add(0, small); Add(1, large); }
            else { Add(0, large); Add(1, small); }
            return list;
        }

        switch (name)
        {
            case "dino_im2col": Add(0, (long)I(2) * c * I(3) * I(3)); Add(1, (long)I(2) * c * I(3) * I(3)); break;
            case "dino_assemble_tokens":
                Add(0, (long)I(5) * I(6) * d); Add(1, d); Add(2, d); Add(3, (long)I(6) * d); Add(4, (long)I(5) * (I(6) + 1) * d); break;
            case "dino_layernorm": Add(0, (long)I(6) * d); Add(1, d); Add(2, d); Add(3, (long)I(6) * d); Add(4, I(6)); Add(5, I(6)); break;
            case "dino_gather_class": Add(0, (long)I(2) * I(3) * d); Add(1, (long)I(2) * d); break;
            case "dino_l2_normalize": Add(0, (long)I(3) * I(4)); Add(1, (long)I(3) * I(4)); Add(2, I(3)); break;
            case "dino_weight_norm": Add(0, I(4)); Add(1, (long)I(4) * I(5)); Add(2, (long)I(4) * I(5)); Add(3, I(4)); break;
            case "dino_residual_scale_add": Add(0, (long)I(4) * I(5)); Add(1, (long)I(4) * I(5)); Add(2, ScaleCount(I(4), I(3))); break;
            case "dino_residual_add": Add(0, (long)I(5) * I(6)); Add(1, (long)I(5) * I(6)); Add(2, ScaleCount(I(5), I(3))); Add(4, (long)I(5) * I(6)); break;
            case "dino_gelu": Add(0, L(2)); Add(1, L(2)); break;
            case "dino_reduce_partials":
                Assert(I(0) >= 1 && I(0) <= 256, "partial chunks");
                Add(2, I(1));
                Add(3, I(1));
                break;
            case "dino_bias_grad": Assert(call.GridY <= 256 && call.GridX * 32 >= I(2), "bias grid"); Add(0, (long)I(1) * I(2)); break;
            case "dino_gelu_grad": Add(0, L(3)); Add(1, L(3)); Add(2, L(3)); break;
            case "dino_scale_rows": Add(0, (long)I(4) * I(5)); Add(1, ScaleCount(I(4), I(2))); Add(3, (long)I(4) * I(5)); break;
            case "dino_accumulate": Add(0, L(2)); Add(1, L(2)); break;
            case "dino_clear": Add(0, L(1)); break;
            case "dino_layernorm_grad":
                Assert(call.GridX <= 256, "layernorm grad chunks");
                Add(0, (long)I(6) * d); Add(1, (long)I(6) * d); Add(2, d); Add(3, I(6)); Add(4, I(6)); Add(5, (long)I(6) * d); break;
            case "dino_assemble_tokens_grad":
                Assert(call.GridX * 256L >= (I(6) + 1L) * d, "assemble grad grid");
                Add(0, (long)I(5) * (I(6) + 1) * d); Add(1, (long)I(5) * I(6) * d); Add(2, d); Add(3, d); Add(4, (long)I(6) * d); break;
            case "dino_scatter_class": Add(0, (long)I(2) * d); Add(1, (long)I(2) * I(3) * d); break;
            case "dino_l2_normalize_grad": Add(0, (long)I(4) * I(5)); Add(1, (long)I(4) * I(5)); Add(2, I(4)); Add(3, (long)I(4) * I(5)); break;
            case "dino_weight_norm_grad":
                Add(0, (long)I(6) * I(7)); Add(1, I(6)); Add(2, (long)I(6) * I(7)); Add(3, I(6)); Add(4, I(6)); Add(5, (long)I(6) * I(7)); break;
            default: throw new InvalidOperationException("The test has no extents for " + name + ".");
        }
        return list;
    }

    private static void Assert(bool condition, string what)
    {
        if (!condition) throw new Xunit.Sdk.XunitException(what);
    }
}
