using System;
using System.Linq;
using System.Text.RegularExpressions;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The bf16 kernels with NVRTC (docs/BF16.md): on sm_90 they compile without spills and round with the hardware
/// instructions (<c>cvt.rn.bf16.f32</c>, <c>cvt.rn.bf16x2.f32</c> in the PTX), and on sm_75, which has neither, the
/// software rounding compiles instead (no bf16 cvt in its PTX). Every zoo kernel's registers are in
/// <see cref="KernelCompilationTests"/>' snapshots; this test names the bf16 set and checks the instruction choice.
/// </summary>
public sealed class Bf16KernelCompilationTests
{
    /// <summary>The bf16 kernels every generated module has, in source order.</summary>
    internal static readonly string[] Bf16Kernels =
    [
        "dino_convert_f32_to_bf16", "dino_convert_bf16_to_f32", "dino_im2col_bf16", "dino_layernorm_bf16", "dino_bias_gelu_bf16", "dino_gelu_bf16",
        "dino_bias_residual_add", "dino_residual_add_bf16", "dino_l2_normalize_bf16", "dino_weight_norm_bf16",
        "dino_gelu_grad_bf16", "dino_gelu_grad_f32_bf16", "dino_scale_rows_bf16", "dino_bias_grad_bf16", "dino_layernorm_grad_bf16",
        "dino_assemble_tokens_grad_bf16", "dino_l2_normalize_grad_bf16", "dino_layernorm_grad_scale_bf16", "dino_gelu_grad_recompute_bf16",
        "dino_loss_student_bf16", "dino_adamw_bf16", "dino_teacher_ema_bf16",
    ];

    /// <summary>The ones that only read bf16 (their outputs are fp32), so have no narrowing conversion.</summary>
    private static readonly string[] s_readOnly = ["dino_convert_bf16_to_f32", "dino_bias_residual_add", "dino_residual_add_bf16", "dino_bias_grad_bf16", "dino_layernorm_grad_bf16"];

    [Fact]
    public void EveryModuleEndsWithTheBf16KernelsSoTheFp32IndicesStay()
    {
        foreach (var module in new[] { FmnistTiny.CudaModule, VitSmall16.CudaModule, ReducedVit.CudaModule })
        {
            // The bf16 kernels follow the fp32 ones; the flash-attention instances come last of all.
            int flash = module.KernelNames.Count(n => n.StartsWith("dino_flash_attention_", StringComparison.Ordinal));
            Assert.True(flash > 0, $"{module.ModelName} has no flash-attention instance");
            Assert.All(module.KernelNames.Skip(module.KernelNames.Count - flash), n => Assert.StartsWith("dino_flash_attention_", n));
            Assert.Equal(Bf16Kernels, module.KernelNames.Skip(module.KernelNames.Count - flash - Bf16Kernels.Length).Take(Bf16Kernels.Length));
            Assert.Equal(module.KernelNames.Count - flash - Bf16Kernels.Length, module.IndexOf("dino_teacher_ema") + 1);
        }
    }

    [NvrtcFact]
    public void OnSm90TheBf16KernelsUseTheCvtInstructionsAndDoNotSpill() => CompileAndCheck("sm_90", hardwareRounding: true);

    [NvrtcFact]
    public void BeforeSm80TheSoftwareRoundingCompilesWithoutSpills() => CompileAndCheck("sm_75", hardwareRounding: false);

    private static void CompileAndCheck(string architecture, bool hardwareRounding)
    {
        foreach (var module in new[] { FmnistTiny.CudaModule, VitSmall16.CudaModule, ReducedVit.CudaModule })
        {
            var compilation = NvrtcCompiler.Compile(module, ["--gpu-architecture=" + architecture, "--ptxas-options=-v", "--std=c++17", "-default-device"]);
            foreach (var name in Bf16Kernels)
            {
                var kernel = compilation.Ptxas.Find(name);
                Assert.True(kernel is not null, $"{module.ModelName} ({architecture}): ptxas reported nothing for {name}");
                Assert.False(kernel!.Spills, $"{module.ModelName} ({architecture}): {name} spills {kernel.SpillStoreBytes} B");
            }
            string ptx = compilation.PtxText;
            int packed = Regex.Matches(ptx, @"cvt\.rn\.bf16x2\.f32").Count, single = Regex.Matches(ptx, @"cvt\.rn\.bf16\.f32").Count;
            if (hardwareRounding)
            {
                Assert.True(packed > 0 && single > 0, $"{module.ModelName}: {packed} cvt.rn.bf16x2.f32 and {single} cvt.rn.bf16.f32 in the sm_90 PTX");
                // Every kernel that stores bf16 narrows with the instructions.
                foreach (var name in Bf16Kernels.Except(s_readOnly))
                    Assert.Contains("cvt.rn.bf16", Entry(ptx, name), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(0, packed + single);
            }
            // Flash attention (forward, dK/dV, dQ): on tensor cores (mma.sync bf16) from sm_80, the shuffle path before; never spilling.
            foreach (var name in module.KernelNames.Where(n => n.StartsWith("dino_flash_attention_", StringComparison.Ordinal)))
            {
                var kernel = compilation.Ptxas.Find(name);
                Assert.True(kernel is not null && !kernel.Spills, $"{module.ModelName} ({architecture}): {name} spills or is missing");
                int mma = Regex.Matches(Entry(ptx, name), @"mma\.sync\.aligned\.m16n8k16\.row\.col\.f32\.bf16\.bf16\.f32").Count;
                bool products = !name.StartsWith("dino_flash_attention_delta_", StringComparison.Ordinal); // delta is a row sum
                if (hardwareRounding && products) Assert.True(mma > 0, $"{module.ModelName}: {name} has no mma.sync bf16 in its sm_90 PTX");
                else Assert.Equal(0, mma);
            }
        }
    }

    /// <summary>The PTX text of one entry, up to the next one.</summary>
    private static string Entry(string ptx, string name)
    {
        int at = ptx.IndexOf(".entry " + name + "(", StringComparison.Ordinal);
        Assert.True(at >= 0, "no .entry " + name + " in the PTX");
        int next = ptx.IndexOf(".entry ", at + 7, StringComparison.Ordinal);
        return next < 0 ? ptx.Substring(at) : ptx.Substring(at, next - at);
    }
}
