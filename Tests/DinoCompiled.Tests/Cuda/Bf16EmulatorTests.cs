using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using DinoCompiled.Tests.Infrastructure;
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
    public async Task EveryBf16KernelPassesTheEmulatorWithinItsBound()
    {
        var start = new ProcessStartInfo(EmulatorFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tools", "cuda", "emulate_bf16.py"));
        start.ArgumentList.Add("--fast");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool finished = process.WaitForExit(600_000);
        if (!finished) process.Kill(entireProcessTree: true);
        string output = await stdout, errors = await stderr;
        _output.WriteLine(output);
        if (errors.Length > 0) _output.WriteLine(errors);
        Assert.True(finished, "tools/cuda/emulate_bf16.py --fast did not finish in 10 minutes");
        Assert.True(process.ExitCode == 0, "tools/cuda/emulate_bf16.py --fast failed:\n" + Failures(output) + errors);
        Assert.Contains("all checks passed", output, System.StringComparison.Ordinal);
    }

    private static string Failures(string output)
    {
        var lines = new System.Text.StringBuilder();
        foreach (var line in output.Split('\n'))
            if (line.Contains("FAIL", System.StringComparison.Ordinal)) lines.Append(line).Append('\n');
        return lines.ToString();
    }
}
