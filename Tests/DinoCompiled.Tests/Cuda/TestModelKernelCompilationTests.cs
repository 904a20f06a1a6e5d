using System;
using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Cuda;
using DinoCompiled.TestModels;
using DinoCompiled.Tests.Compiled;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The CUDA module of every test model (ReducedVit, the architecture sweep of every head dim 8..256 in steps of 8 and
/// tokens 2..1025, see <see cref="ArchitectureSweep"/>, and whatever else DinoCompiled.TestModels declares) compiles
/// with NVRTC to sm_90 CUBIN, and no kernel spills registers: the attention tiles the generator planned for each
/// (tokens, head dim) fit their 48 KiB and their accumulators stay in registers. The zoo's are KernelCompilationTests.
/// </summary>
public sealed class TestModelKernelCompilationTests
{
    private static readonly Type[] s_models = typeof(ReducedVit).Assembly.GetTypes()
        .Where(t => t.IsClass && typeof(ICudaDinoModel).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();

    private static readonly string[] s_options = ["--gpu-architecture=sm_90", "--ptxas-options=-v", "--std=c++17", "-default-device"];

    public static IEnumerable<object[]> Models => s_models.Select(t => new object[] { t.Name });

    [Fact]
    public void EveryTestModelOfTheSweepHasACudaHalf() => Assert.Subset(s_models.ToHashSet(), ArchitectureSweep.All.ToHashSet());

    [NvrtcTheory]
    [MemberData(nameof(Models))]
    public void TheModuleCompilesForSm90WithoutSpills(string model)
    {
        var type = s_models.Single(t => t.Name == model);
        Assert.True(typeof(ICudaDinoModel).IsAssignableFrom(type), $"{model} has no CUDA half");
        var module = (CudaModuleSource)type.GetProperty(nameof(ICudaDinoModel.CudaModule))!.GetValue(null)!;
        var compilation = NvrtcCompiler.Compile(module, s_options);
        Assert.True(compilation.Cubin.Length > 4 && compilation.Cubin[0] == 0x7F && compilation.Cubin[1] == (byte)'E', $"{module.ModelName}: no CUBIN");
        var problems = new List<string>();
        foreach (var name in module.KernelNames)
        {
            var kernel = compilation.Ptxas.Find(name);
            if (kernel is null) problems.Add($"ptxas reported nothing for {name}");
            else if (kernel.Spills) problems.Add($"{name} spills ({kernel.SpillStoreBytes} B stored, {kernel.SpillLoadBytes} B loaded)");
            else if (kernel.SharedMemoryBytes > 48 * 1024) problems.Add($"{name} uses {kernel.SharedMemoryBytes} B of shared memory");
        }
        Assert.True(problems.Count == 0, module.ModelName + ":\n" + string.Join("\n", problems));
        Assert.Contains(module.KernelNames, n => n.StartsWith("dino_attention_grad_dk_t", System.StringComparison.Ordinal));
    }
}
