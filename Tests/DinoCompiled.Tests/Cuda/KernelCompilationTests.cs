using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DinoCompiled.Cuda;
using DinoCompiled.Models;
using DinoCompiled.Tests.Infrastructure;
using Xunit;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// Offline validation of the generated CUDA: every kernel of every zoo model's module, and of the runtime's support
/// module, compiles with NVRTC (11.8 in CI, Debian's libnvrtc11.2) to sm_90 CUBIN with no register spill; registers,
/// shared memory and stack per kernel are snapshotted so that a change in any of them shows in review.
/// </summary>
public sealed class KernelCompilationTests
{
    private static readonly string[] s_options = ["--gpu-architecture=sm_90", "--ptxas-options=-v", "--std=c++17", "-default-device"];

    private sealed class ModuleCollector : ICudaModelVisitor
    {
        public List<CudaModuleSource> Modules { get; } = new();

        public void Visit<TModel>() where TModel : ICudaDinoModel => Modules.Add(TModel.CudaModule);
    }

    [NvrtcFact]
    public void EveryZooKernelCompilesForSm90WithoutSpills()
    {
        var collector = new ModuleCollector();
        foreach (var model in ModelZoo.All) Assert.True(CudaModelZoo.Visit(model.Name, collector));
        collector.Modules.Add(new CudaModuleSource("dino-support", CudaSupportKernels.Source, [CudaSupportKernels.GeluForward, CudaSupportKernels.GeluBackward]));

        var problems = new List<string>();
        foreach (var module in collector.Modules)
        {
            var compilation = NvrtcCompiler.Compile(module, s_options);
            Assert.True(compilation.Cubin.Length > 4 && compilation.Cubin[0] == 0x7F && compilation.Cubin[1] == (byte)'E', $"{module.ModelName}: no CUBIN");
            var report = compilation.Ptxas;
            foreach (var name in module.KernelNames)
            {
                var kernel = report.Find(name);
                if (kernel is null) problems.Add($"{module.ModelName}: ptxas reported nothing for {name}");
                else if (kernel.Spills) problems.Add($"{module.ModelName}: {name} spills ({kernel.SpillStoreBytes} B stored, {kernel.SpillLoadBytes} B loaded)");
            }
            var table = new StringBuilder();
            table.Append("# ").Append(module.ModelName).Append(": ptxas (NVRTC ").Append(compilation.NvrtcVersion).Append(") for sm_90, per kernel\n");
            table.Append("# kernel registers shared-bytes stack-bytes\n");
            foreach (var name in module.KernelNames.Order(StringComparer.Ordinal))
            {
                var kernel = report.Find(name);
                if (kernel is not null) table.Append(name).Append(' ').Append(kernel.Registers).Append(' ').Append(kernel.SharedMemoryBytes).Append(' ').Append(kernel.StackFrameBytes).Append('\n');
            }
            Snapshot.Match(table.ToString(), suffix: module.ModelName);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
