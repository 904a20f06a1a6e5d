using System.Collections.Generic;
using System.Linq;
using DinoCompiled.Cuda;
using DinoCompiled.Tests.Compiled;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The CUDA module of every architecture of the sweep (every head dim 8..256 in steps of 8, tokens 2..1025; see
/// <see cref="ArchitectureSweep"/>) compiles with NVRTC to sm_90 CUBIN, and no kernel spills registers: the attention
/// tiles the generator planned for each (tokens, head dim) fit their 48 KiB and their accumulators stay in registers.
/// </summary>
public sealed class SweepKernelCompilationTests
{
    private static readonly string[] s_options = ["--gpu-architecture=sm_90", "--ptxas-options=-v", "--std=c++17", "-default-device"];

    public static IEnumerable<object[]> Models => ArchitectureSweep.Names;

    [NvrtcTheory]
    [MemberData(nameof(Models))]
    public void TheModuleCompilesForSm90WithoutSpills(string model)
    {
        var type = ArchitectureSweep.Find(model);
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
