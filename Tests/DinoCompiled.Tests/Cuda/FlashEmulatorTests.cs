using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DinoCompiled.Tests.Cuda;

/// <summary>
/// The flash-attention kernels of the FmnistTiny and ViT-S/16 modules (the snapshots <see cref="CudaSourceTests"/> holds
/// equal to the generated ones: tokens 50, 10, 197 over four key tiles, and 37), run on the CPU emulator by
/// <c>tools/cuda/emulate_flash.py</c> with the mma.sync m16n8k16 bf16 instruction written from the PTX ISA's fragment
/// layout: the output within 2^-7 max|V| and the log-sum-exp within 1e-5 (1 + |lse|) of float64 attention on the same
/// bf16 inputs; the backward (delta, dK/dV, dQ) within 2^-6 of the same products over magnitudes (the script's header
/// justifies each bound); and the module's pre-sm_80 shuffle path against the emulated instruction.
/// </summary>
public sealed class FlashEmulatorTests
{
    private readonly ITestOutputHelper _output;

    public FlashEmulatorTests(ITestOutputHelper output) => _output = output;

    [EmulatorFact]
    public Task TheFlashAttentionForwardAndBackwardPassTheEmulatorWithinTheirBounds() => EmulatorScript.AssertPasses(_output, "emulate_flash.py");
}
