using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using DinoCompiled.Cpu;
using DinoCompiled.Models;
using DinoCompiled.TestModels;
using DinoCompiled.Tests.Generator;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>The generated CUDA files against their snapshots, and the module's constant tables against the Runtime.</summary>
public sealed class CudaSourceTests
{
    private static readonly Lazy<GeneratorOutcome> s_outcome = new(() => GeneratorHarness.Run(ZooModelSources.All));

    [Theory]
    [InlineData("FmnistTiny")]
    [InlineData("VitSmall16")]
    public void GeneratedCudaFile(string model) =>
        Snapshot.Match(s_outcome.Value.Sources.Single(s => s.HintName.StartsWith("DinoCompiled.Models." + model + ".", StringComparison.Ordinal) &&
            s.HintName.EndsWith(".Cuda.g.cs", StringComparison.Ordinal)).SourceText.ToString(), suffix: model, extension: "cs");

    [Fact]
    public void ModuleIsSelfContainedAndNamesEveryKernel()
    {
        var module = VitSmall16.CudaModule;
        Assert.Equal("vit-small-16", module.ModelName);
        Assert.DoesNotMatch(@"(?m)^\s*#\s*include", module.Source);
        var declared = Regex.Matches(module.Source, @"extern ""C"" __global__ void (?:__launch_bounds__\(\d+\) )?(\w+)\(").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(declared, module.KernelNames);
        foreach (var step in new[] { "dino_loss_teacher", "dino_loss_student", "dino_center_update", "dino_grad_sqnorm", "dino_grad_norms", "dino_grad_clip", "dino_adamw", "dino_teacher_ema" })
            Assert.Contains(step, module.KernelNames);
        Assert.Contains("#define DINO_K 65536", module.Source, StringComparison.Ordinal);
        Assert.Contains("#define DINO_D 384", module.Source, StringComparison.Ordinal);
        Assert.Contains("dino_attention_t197_d64", module.KernelNames);
        Assert.Contains("dino_attention_t37_d64", module.KernelNames);
    }

    [Fact]
    public void ParameterTableMatchesTheDescription()
    {
        var source = ReducedVit.CudaModule.Source;
        var table = ReducedVit.Description.Parameters;
        Assert.Equal(table.Select(p => p.Offset), Array(source, "c_tensor_offset").Select(long.Parse));
        Assert.Equal(table.Select(p => p.Count), Array(source, "c_tensor_count").Select(long.Parse));
        Assert.Equal(table.Select(p => p.Trainable ? "1" : "0"), Array(source, "c_tensor_trainable"));
        var first = Array(source, "c_tensor_first_chunk").Select(int.Parse).ToList();
        Assert.Equal(ReducedVit.CudaParameterChunks, first[^1]);
        for (int t = 0; t < table.Count; t++) Assert.Equal(Math.Max(1, (table[t].Count + 8191) / 8192), first[t + 1] - first[t]);
    }

    [Theory]
    [InlineData("FmnistTiny", 12, 7, 3)]
    [InlineData("ReducedVit", 16, 4, 2)]
    [InlineData("VitSmall16", 96, 14, 6)]
    public void BicubicTablesMatchTheRuntimePlan(string model, int crop, int sourceGrid, int grid)
    {
        string source = model switch
        {
            "FmnistTiny" => FmnistTiny.CudaModule.Source,
            "ReducedVit" => ReducedVit.CudaModule.Source,
            _ => VitSmall16.CudaModule.Source,
        };
        var plan = new BicubicResizePlan(sourceGrid, grid, (grid + 0.1) / sourceGrid);
        string p = "c_resize" + crop;
        Assert.Equal(Field<int[]>(plan, "taps"), Array(source, p + "_taps").Select(int.Parse));
        Assert.Equal(Field<float[]>(plan, "weights").Select(Bits), Array(source, p + "_weights").Select(ParseBits));
        Assert.Equal(Field<int[]>(plan, "transposeStart"), Array(source, p + "_tstart").Select(int.Parse));
        Assert.Equal(Field<int[]>(plan, "transposeOutputs"), Array(source, p + "_toutputs").Select(int.Parse));
        Assert.Equal(Field<float[]>(plan, "transposeWeights").Select(Bits), Array(source, p + "_tweights").Select(ParseBits));
    }

    private static T Field<T>(object target, string name) =>
        (T)target.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(target)!;

    private static uint Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    private static uint ParseBits(string text) => uint.Parse(text.Substring(2, text.Length - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The elements of a <c>__constant__</c> array initializer.</summary>
    private static List<string> Array(string source, string name)
    {
        var match = Regex.Match(source, @"__constant__ [\w ]+ " + name + @"\[[^\]]*\] = \{ ([^}]*) \};");
        Assert.True(match.Success, name);
        return match.Groups[1].Value.Split(", ").ToList();
    }
}
