using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The bf16 kernels of the generated module, run on the CPU emulator by <c>tools/cuda/emulate_bf16.py --fast</c> (the
/// FmnistTiny snapshot, which <see cref="CudaSourceTests"/> holds equal to the generated module): each against a float64
/// reference within its stated bf16 bound, bit for bit against its fp32 kernel, and the conversion against a
/// round-to-nearest-even reference on ties, subnormals, overflow and NaN (docs/BF16.md).
/// </summary>
public sealed class Bf16EmulatorTests
{
    private readonly ITestOutputHelper _output;

    public Bf16EmulatorTests(ITestOutputHelper output) => _output = output;

    [EmulatorFact]
    public Task EveryBf16KernelPassesTheEmulatorWithinItsBound() => EmulatorScript.AssertPasses(_output, "emulate_bf16.py", "--fast");
}
