using Xunit;

namespace DinoCompiled.Tests.Kernels;

/// <summary>
/// Tests that change CpuParallel.ThreadCount or measure process-wide allocation run
/// alone, after the parallel collections (xunit runs DisableParallelization collections last).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialKernelCollection
{
    public const string Name = "Serial CPU kernels";
}
